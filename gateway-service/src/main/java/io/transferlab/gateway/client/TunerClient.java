package io.transferlab.gateway.client;

import io.smallrye.mutiny.Uni;
import io.transferlab.commons.problem.Problem;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.ModelView;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.StudyView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * The tuner's query API ({@code quarkus.rest-client.tuner.url}): runs, studies and models as the contracts'
 * query views. A 404 becomes {@link TunerNotFoundException}, a 400 (a query parameter the tuner does not take)
 * {@link TunerRejectedException} with the tuner's problem; any other error status a
 * {@link ClientWebApplicationException}.
 */
@RegisterRestClient(configKey = "tuner")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{authorization}", required = false)
public interface TunerClient {

    /** The gateway's own credential for the tuner's API ({@code transferlab.gateway.tuner-api-key}), if any. */
    default String authorization() {
        return ConfigProvider.getConfig().getOptionalValue("transferlab.gateway.tuner-api-key", String.class)
                .filter(k -> !k.isBlank()).map(k -> "Bearer " + k).orElse(null);
    }

    @GET
    @Path("/runs/{id}")
    Uni<RunView> run(@PathParam("id") String runId);

    @GET
    @Path("/runs")
    Uni<List<RunView>> runs(@QueryParam("studyId") String studyId, @QueryParam("status") String status,
            @QueryParam("limit") Integer limit);

    @GET
    @Path("/studies")
    Uni<List<StudyView>> studies();

    @GET
    @Path("/studies/{id}")
    Uni<StudyView> study(@PathParam("id") String studyId);

    @GET
    @Path("/models")
    Uni<List<ModelView>> models();

    @GET
    @Path("/models/{id}")
    Uni<ModelView> model(@PathParam("id") String modelId);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        if (response.getStatus() == 404) {
            return new TunerNotFoundException();
        }
        if (response.getStatus() == 400) {
            return new TunerRejectedException(problemOf(response));
        }
        return new ClientWebApplicationException("the tuner answered HTTP " + response.getStatus(), response);
    }

    private static Problem problemOf(Response response) {
        try {
            return Json.read(response.readEntity(String.class), Problem.class);
        } catch (RuntimeException e) {
            return new Problem("about:blank", "Bad Request", 400, "the tuner refused the query", null, null);
        }
    }

    /** The tuner refused a query (400): a parameter the caller gave, passed on as it was. */
    class TunerRejectedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient Problem problem;

        public TunerRejectedException(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** The tuner does not know the id. */
    class TunerNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TunerNotFoundException() {
            super("not found by the tuner", null, false, false);
        }
    }
}
