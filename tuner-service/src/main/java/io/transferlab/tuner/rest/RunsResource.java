package io.transferlab.tuner.rest;

import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.tuner.persistence.RunQueries;
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

/** Every recorded training run, tuned or standalone: {@code /api/v1/runs}. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "Training runs with their metrics and history")
@RolesAllowed(TunerApiKeys.READ)
public class RunsResource {

    private final RunQueries runs;
    private final QueryParams params;

    public RunsResource(RunQueries runs, QueryParams params) {
        this.runs = runs;
        this.params = params;
    }

    @GET
    @Operation(summary = "List runs: newest first, or a study's runs best first. Summaries: history, confusion matrix"
            + " and per-class accuracy are in GET /api/v1/runs/{id}")
    @APIResponse(responseCode = "400", description = "Unknown status or limit out of range (problem+json)")
    public List<RunView> list(@QueryParam("studyId") String studyId, @QueryParam("status") String status,
            @QueryParam("limit") Integer limit) {
        return runs.list(studyId == null || studyId.isBlank() ? null : studyId, params.status(status, RunStatus.class),
                params.limit(limit));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A run with its per-epoch history, final metrics, confusion matrix and per-class accuracy")
    @APIResponse(responseCode = "404", description = "No such run (problem+json)")
    public RunView get(@PathParam("id") String id) {
        return runs.find(id).orElseThrow(() -> new UnknownIdException("run", id));
    }
}
