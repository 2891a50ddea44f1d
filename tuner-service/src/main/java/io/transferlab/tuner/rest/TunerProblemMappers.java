package io.transferlab.tuner.rest;

import io.transferlab.commons.problem.Problems;
import io.transferlab.tuner.persistence.DatabaseUnavailableException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The tuner's own failures as problem+json, next to the shared mappers of service-commons. */
public class TunerProblemMappers {

    @ServerExceptionMapper
    public Response unknown(UnknownIdException e) {
        return Problems.response(404, "not-found", "Not Found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response databaseDown(DatabaseUnavailableException e) {
        return Problems.response(503, "database-unavailable", "Service Unavailable",
                e.getMessage() + "; retry when the tuner is ready again");
    }
}
