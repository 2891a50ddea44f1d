package io.transferlab.tuner.rest;

import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.tuner.persistence.StudyQueries;
import io.transferlab.tuner.security.TunerApiKeys;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tuning studies for the gateway (and anyone): {@code /api/v1/studies}. */
@Path("/api/v1/studies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "studies", description = "Tuning studies and their ranked runs tables")
@RolesAllowed(TunerApiKeys.READ)
public class StudiesResource {

    private final StudyQueries studies;
    private final QueryParams params;

    public StudiesResource(StudyQueries studies, QueryParams params) {
        this.studies = studies;
        this.params = params;
    }

    @GET
    @Operation(summary = "List studies, newest first (without their runs tables)")
    @APIResponse(responseCode = "400", description = "Unknown status or limit out of range (problem+json)")
    public List<StudyView> list(@QueryParam("status") String status, @QueryParam("limit") Integer limit) {
        return studies.list(params.status(status, StudyStatus.class), params.limit(limit));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A study with its runs table ranked by the objective (best first)")
    @APIResponse(responseCode = "404", description = "No such study (problem+json)")
    public StudyView get(@PathParam("id") String id) {
        return studies.find(id).orElseThrow(() -> new UnknownIdException("study", id));
    }
}
