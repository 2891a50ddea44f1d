package io.transferlab.gateway.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.transferlab.contracts.query.ModelView;
import io.transferlab.gateway.service.TunerQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ModelCardsResource {

    private final TunerQueries tuner;

    public ModelCardsResource(TunerQueries tuner) {
        this.tuner = tuner;
    }

    @GET
    @Operation(summary = "Models in the store: the latest card of each")
    public Uni<List<ModelView>> list() {
        return tuner.models();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A model card: spec, labels, metrics, lineage, versions")
    public Uni<ModelView> get(@PathParam("id") String modelId) {
        return tuner.model(modelId);
    }
}
