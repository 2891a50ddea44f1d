package io.transferlab.tuner.rest;

import io.transferlab.contracts.query.ModelView;
import io.transferlab.tuner.persistence.ModelQueries;
import io.transferlab.tuner.security.TunerApiKeys;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Models announced on vision.models: {@code /api/v1/models}. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "Published models and their versions")
@RolesAllowed(TunerApiKeys.READ)
public class ModelsResource {

    private final ModelQueries models;

    public ModelsResource(ModelQueries models) {
        this.models = models;
    }

    @GET
    @Operation(summary = "Every model with its latest card and version numbers")
    public List<ModelView> list() {
        return models.list();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A model's latest card and every version number")
    @APIResponse(responseCode = "404", description = "No such model (problem+json)")
    public ModelView get(@PathParam("id") String id) {
        return models.find(id).orElseThrow(() -> new UnknownIdException("model", id));
    }
}
