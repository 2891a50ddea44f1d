package io.transferlab.gateway.rest;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** OpenAPI document header: the API, its version and its API-key scheme ({@code Authorization: Bearer <key>}). */
@OpenAPIDefinition(info = @Info(title = "TransferLab API", version = "1",
        description = "Classify images, train and tune transfer-learning models, follow them live, upload data sets. "
                + "Every error is application/problem+json. Send 'Authorization: Bearer <api key>'; role 'classify' "
                + "for classifications, role 'train' for trainings, tunings, cancels and uploads."),
        security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key issued by the operator (stored hashed on the gateway)")
public class GatewayApi extends Application {
}
