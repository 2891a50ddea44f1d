package io.transferlab.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.gateway.config.GatewayConfig;
import io.transferlab.gateway.security.Roles;
import io.transferlab.gateway.service.ModelAliasChanges;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A model's aliases: {@code PUT} points one at a version, {@code DELETE} clears it. {@code GET /api/v1/models/{id}}
 * shows them ({@link ModelCardsResource}), once the tuner has recorded the change.
 */
@Path("/api/v1/models/{id}/aliases/{alias}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.TRAIN)
public class ModelAliasesResource {

    private final ModelAliasChanges changes;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;
    private final long maxJson;

    public ModelAliasesResource(ModelAliasChanges changes, SecurityIdentity identity, ObjectMapper mapper,
            GatewayConfig config) {
        this.changes = changes;
        this.identity = identity;
        this.mapper = mapper;
        this.maxJson = config.maxJsonSize().asLongValue();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AliasTarget.class)))
    @Operation(summary = "Point an alias at a version",
            description = "Only the alias 'production' is taken for now: unpinned classifications (model=<id>) are "
                    + "served with its version. Publishes the change to vision.models.aliases; answers once the "
                    + "broker has it.")
    @APIResponse(responseCode = "200", description = "the change as published")
    @APIResponse(responseCode = "400", description = "no body, no positive integer version, unknown fields, or an "
            + "alias other than production (problem+json)")
    @APIResponse(responseCode = "403", description = "the model belongs to another key and the caller is no admin")
    @APIResponse(responseCode = "404", description = "the tuner knows no such model, or the model no such version")
    @APIResponse(responseCode = "503", description = "Kafka did not take the change, or the tuner cannot be reached")
    public CompletionStage<ModelAlias> set(@PathParam("id") String modelId, @PathParam("alias") String alias,
            InputStream json, @HeaderParam(CorrelationIdFilter.HEADER) String correlationId)
            throws JsonProcessingException {
        AliasTarget target = BoundedBodies.readJson(json, maxJson, mapper, AliasTarget.class);
        int version = (target == null ? java.util.Optional.<Integer>empty() : target.positiveVersion())
                .orElseThrow(() -> new ValidationException(List.of(new Violation("version", "must be a positive "
                        + "integer, a published version of the model: the body is {\"version\": 3}"))));
        return changes.set(modelId, alias, version, identity, correlationId).thenApply(ModelAlias::of);
    }

    @DELETE
    @Operation(summary = "Clear an alias",
            description = "Unpinned classifications are served with the newest version again. Publishes the change "
                    + "to vision.models.aliases (also when the alias is not set: clearing twice is harmless).")
    @APIResponse(responseCode = "200", description = "the change as published (no version)")
    @APIResponse(responseCode = "400", description = "an alias other than production")
    @APIResponse(responseCode = "403", description = "the model belongs to another key and the caller is no admin")
    @APIResponse(responseCode = "404", description = "the tuner knows no such model")
    public CompletionStage<ModelAlias> clear(@PathParam("id") String modelId, @PathParam("alias") String alias,
            @HeaderParam(CorrelationIdFilter.HEADER) String correlationId) {
        return changes.clear(modelId, alias, identity, correlationId).thenApply(ModelAlias::of);
    }
}
