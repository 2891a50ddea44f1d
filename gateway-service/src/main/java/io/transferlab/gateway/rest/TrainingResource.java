package io.transferlab.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.transferlab.contracts.Requester;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.gateway.config.GatewayConfig;
import io.transferlab.gateway.security.Requesters;
import io.transferlab.gateway.security.Roles;
import io.transferlab.gateway.service.CancelService;
import io.transferlab.gateway.service.OwnerChecks;
import io.transferlab.gateway.service.RunEventHub;
import io.transferlab.gateway.service.TrainingSubmissions;
import io.transferlab.gateway.service.TunerQueries;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/trainings")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingResource {

    private final TrainingSubmissions submissions;
    private final TunerQueries tuner;
    private final RunEventHub hub;
    private final CancelService cancellations;
    private final OwnerChecks owners;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;
    private final long maxJson;

    public TrainingResource(TrainingSubmissions submissions, TunerQueries tuner, RunEventHub hub,
            CancelService cancellations, OwnerChecks owners, SecurityIdentity identity, ObjectMapper mapper,
            GatewayConfig config) {
        this.submissions = submissions;
        this.tuner = tuner;
        this.hub = hub;
        this.cancellations = cancellations;
        this.owners = owners;
        this.identity = identity;
        this.mapper = mapper;
        this.maxJson = config.maxJsonSize().asLongValue();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.TRAIN)
    @Blocking
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewTraining.class)))
    @Operation(summary = "Queue a training run", description = "Validates the spec (every violation is listed), "
            + "assigns a run id and publishes the request to vision.train.requests. The run, and the model version "
            + "it publishes, belong to the caller's key.")
    @APIResponse(responseCode = "202", description = "queued; Location names the run")
    @APIResponse(responseCode = "409", description = "modelId names a model another key owns and this key has no "
            + "admin role (problem+json); nothing was queued")
    @APIResponse(responseCode = "413", description = "body over the JSON limit (1 MB), declared or chunked")
    @APIResponse(responseCode = "400", description = "invalid spec (application/problem+json with violations)")
    @APIResponse(responseCode = "503", description = "Kafka did not take the request; nothing was queued")
    public CompletionStage<Response> submit(InputStream json,
            @HeaderParam(CorrelationIdFilter.HEADER) String correlationId) throws JsonProcessingException {
        NewTraining body = BoundedBodies.readJson(json, maxJson, mapper, NewTraining.class);
        if (body == null) {
            throw new BadRequestException("a JSON body with a 'spec' is required");
        }
        return submissions.submit(body.spec(), body.modelId(), Requesters.of(identity), correlationId)
                .thenApply(request -> {
                    String location = "/api/v1/trainings/" + request.runId();
                    AcceptedTraining accepted = new AcceptedTraining(request.runId(), RunStatus.QUEUED,
                            request.effectiveModelId(), request.spec(), request.submittedAt(), location,
                            location + "/events");
                    return Response.accepted(accepted).location(UriBuilder.fromPath(location).build()).build();
                });
    }

    @GET
    @Authenticated
    @Operation(summary = "Training runs, newest first, as the tuner recorded them")
    public Uni<List<RunView>> list(@QueryParam("studyId") String studyId, @QueryParam("status") RunStatus status,
            @QueryParam("limit") Integer limit) {
        return tuner.runs(studyId, status == null ? null : status.name(), limit);
    }

    @GET
    @Path("/{id}")
    @Authenticated
    @Operation(summary = "One run: status, per-epoch history, metrics, confusion matrix, per-class accuracy")
    @APIResponse(responseCode = "404", description = "the tuner has no record of the run")
    public Uni<RunView> get(@PathParam("id") String runId) {
        return tuner.run(runId);
    }

    @GET
    @Path("/{id}/events")
    @Authenticated
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events of one run", description = "'snapshot' (the run as recorded when the "
            + "stream opened), then 'progress' per epoch in order, then 'result'; then 'complete' and the stream ends.")
    @Blocking
    @APIResponse(responseCode = "404", description = "neither the tuner nor this gateway knows the run")
    public Multi<OutboundSseEvent> events(@PathParam("id") String runId, @Context Sse sse) {
        return SseEvents.ofKnown(tuner.requireRun(runId), () -> hub.run(runId, () -> tuner.runOrNull(runId)), sse);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.TRAIN)
    @Operation(summary = "Cancel a run", description = "Publishes a CANCEL on vision.train.control; the trainer "
            + "stops the run between batches (a queued run never starts). Only the key that started the run (for a "
            + "trial: the study's) or a key with the admin role may cancel it; the trainer checks that again, so a "
            + "cancel it refuses leaves the run running (its status stays QUEUED or RUNNING).")
    @APIResponse(responseCode = "202", description = "cancel requested")
    @APIResponse(responseCode = "403", description = "the run belongs to another key and this key has no admin role")
    @APIResponse(responseCode = "404", description = "neither the tuner nor this gateway knows the run")
    public CompletionStage<Response> cancel(@PathParam("id") String runId,
            @HeaderParam(CorrelationIdFilter.HEADER) String correlationId) {
        Requester requester = Requesters.of(identity);
        return Cancelled.afterCheck(owners.requireMayCancelRun(runId, requester),
                () -> cancellations.cancelRun(runId, requester, correlationId),
                c -> new Cancelled(c.runId(), c.action(), c.requestedAt(), "/api/v1/trainings/" + c.runId()));
    }
}
