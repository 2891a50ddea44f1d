package io.transferlab.gateway.rest;

import io.transferlab.contracts.train.RunStatus;
import io.transferlab.gateway.service.TrainingSubmissions;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/trainings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrainingResource {

    public static final String CORRELATION_HEADER = "X-Correlation-Id";

    private final TrainingSubmissions submissions;

    public TrainingResource(TrainingSubmissions submissions) {
        this.submissions = submissions;
    }

    @POST
    @Operation(summary = "Queue a training run", description = "Validates the spec (every violation is listed), "
            + "assigns a run id and publishes the request to vision.train.requests.")
    @APIResponse(responseCode = "202", description = "queued; Location names the run")
    @APIResponse(responseCode = "400", description = "invalid spec (application/problem+json with violations)")
    @APIResponse(responseCode = "503", description = "Kafka did not take the request; nothing was queued")
    public CompletionStage<Response> submit(NewTraining body, @HeaderParam(CORRELATION_HEADER) String correlationId) {
        if (body == null) {
            throw new jakarta.ws.rs.BadRequestException("a JSON body with a 'spec' is required");
        }
        String correlation = correlationId == null || correlationId.isBlank() ? UUID.randomUUID().toString() : correlationId;
        return submissions.submit(body.spec(), body.modelId(), correlation).thenApply(request -> {
            String location = "/api/v1/trainings/" + request.runId();
            AcceptedTraining accepted = new AcceptedTraining(request.runId(), RunStatus.QUEUED,
                    request.effectiveModelId(), request.spec(), request.submittedAt(), location, location + "/events");
            return Response.accepted(accepted).location(UriBuilder.fromPath(location).build())
                    .header(CORRELATION_HEADER, correlation).build();
        });
    }
}
