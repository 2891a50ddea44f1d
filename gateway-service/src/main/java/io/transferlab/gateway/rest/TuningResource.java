package io.transferlab.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.transferlab.contracts.Requester;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.gateway.config.GatewayConfig;
import io.transferlab.gateway.security.Requesters;
import io.transferlab.gateway.security.Roles;
import io.transferlab.gateway.service.CancelService;
import io.transferlab.gateway.service.OwnerChecks;
import io.transferlab.gateway.service.RunEventHub;
import io.transferlab.gateway.service.TunerQueries;
import io.transferlab.gateway.service.TuningSubmissions;
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

@Path("/api/v1/tunings")
@Produces(MediaType.APPLICATION_JSON)
public class TuningResource {

    private final TuningSubmissions submissions;
    private final TunerQueries tuner;
    private final RunEventHub hub;
    private final CancelService cancellations;
    private final OwnerChecks owners;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;
    private final long maxJson;

    public TuningResource(TuningSubmissions submissions, TunerQueries tuner, RunEventHub hub,
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
            schema = @Schema(implementation = NewTuning.class)))
    @Operation(summary = "Start a tuning study", description = "A base spec plus a flag grid (every combination) or "
            + "a random search; validated (every violation listed), given a study id and published to "
            + "vision.tune.requests. The tuner runs at most maxParallel trials at once. The study, its runs and "
            + "their models belong to the caller's key.")
    @APIResponse(responseCode = "202", description = "queued; Location names the study")
    @APIResponse(responseCode = "413", description = "body over the JSON limit (1 MB), declared or chunked")
    @APIResponse(responseCode = "400", description = "invalid study (problem+json with violations)")
    @APIResponse(responseCode = "503", description = "Kafka did not take the request")
    public CompletionStage<Response> submit(InputStream json, @HeaderParam(CorrelationIdFilter.HEADER) String corr)
            throws JsonProcessingException {
        NewTuning body = BoundedBodies.readJson(json, maxJson, mapper, NewTuning.class);
        if (body == null) {
            throw new BadRequestException("a JSON body with a 'baseSpec' and a 'grid' or 'random' is required");
        }
        return submissions.submit(body.name(), body.baseSpec(), body.grid(), body.random(), body.maxParallel(),
                body.objective(), Requesters.of(identity), corr).thenApply(q -> {
                    TuneRequest r = q.request();
                    String location = "/api/v1/tunings/" + r.studyId();
                    return Response.accepted(new AcceptedTuning(r.studyId(), r.name(), q.trialCount(),
                            r.maxParallel(), r.objective(), r.submittedAt(), location, location + "/events"))
                            .location(UriBuilder.fromPath(location).build()).build();
                });
    }

    @GET
    @Authenticated
    @Operation(summary = "Tuning studies (without their runs tables)")
    public Uni<List<StudyView>> list() {
        return tuner.studies();
    }

    @GET
    @Path("/{id}")
    @Authenticated
    @Operation(summary = "A study with its ranked runs table", description = "Like R tfruns' ls_runs(): one row per "
            + "run with flag_* and metric_* columns, best first by the objective.")
    @APIResponse(responseCode = "404", description = "the tuner has no record of the study")
    public Uni<StudyView> get(@PathParam("id") String studyId) {
        return tuner.study(studyId);
    }

    @GET
    @Path("/{id}/events")
    @Authenticated
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events of a study", description = "'snapshot' (the study when the stream "
            + "opened), then 'progress' and 'result' of its runs as they happen; 'complete' once every trial ended.")
    @Blocking
    @APIResponse(responseCode = "404", description = "neither the tuner nor this gateway knows the study")
    public Multi<OutboundSseEvent> events(@PathParam("id") String studyId, @Context Sse sse) {
        return SseEvents.ofKnown(tuner.requireStudy(studyId), () -> hub.study(studyId, () -> tuner.studyOrNull(studyId)),
                sse);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.TRAIN)
    @Operation(summary = "Cancel a study", description = "Publishes a CANCEL on vision.tune.control: queued trials "
            + "never start, running ones are cancelled. Only the key that started the study or a key with the admin "
            + "role may cancel it; the tuner checks that again, so a cancel it refuses leaves the study running (its "
            + "status stays RUNNING).")
    @APIResponse(responseCode = "202", description = "cancel requested")
    @APIResponse(responseCode = "403", description = "the study belongs to another key and this key has no admin "
            + "role")
    @APIResponse(responseCode = "404", description = "neither the tuner nor this gateway knows the study")
    public CompletionStage<Response> cancel(@PathParam("id") String studyId,
            @HeaderParam(CorrelationIdFilter.HEADER) String correlationId) {
        Requester requester = Requesters.of(identity);
        return Cancelled.afterCheck(owners.requireMayCancelStudy(studyId, requester),
                () -> cancellations.cancelStudy(studyId, requester, correlationId),
                c -> new Cancelled(c.studyId(), c.action(), c.requestedAt(), "/api/v1/tunings/" + c.studyId()));
    }
}
