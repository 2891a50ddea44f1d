package io.transferlab.inference.rest;

import io.transferlab.inference.rest.oip.ServerLive;
import io.transferlab.inference.rest.oip.ServerMetadata;
import io.transferlab.inference.rest.oip.ServerReady;
import io.transferlab.inference.security.InferenceApiKeys;
import io.transferlab.inference.service.DynamicBatcher;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Open Inference Protocol v2 server endpoints. Per the protocol, 200 means true and a 4xx status false. Ready
 * means the inference workers run: HTTP inference does not need Kafka (the broker is in {@code /q/health/ready}).
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class ServerResource {

    private final DynamicBatcher batcher;
    private final String name;
    private final String version;

    public ServerResource(DynamicBatcher batcher,
            @ConfigProperty(name = "quarkus.application.name") String name,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.batcher = batcher;
        this.name = name;
        this.version = version;
    }

    @GET
    @RolesAllowed(InferenceApiKeys.CLASSIFY)
    public ServerMetadata metadata() {
        return new ServerMetadata(name, version, List.of());
    }

    @GET
    @PermitAll
    @Path("health/live")
    public ServerLive live() {
        return new ServerLive(true);
    }

    @GET
    @PermitAll
    @Path("health/ready")
    public Response ready() {
        boolean ready = batcher.isRunning();
        return Response.status(ready ? 200 : 400).entity(new ServerReady(ready)).build();
    }
}
