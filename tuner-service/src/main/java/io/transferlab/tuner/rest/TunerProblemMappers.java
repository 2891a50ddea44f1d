package io.transferlab.tuner.rest;

import io.transferlab.commons.problem.Problems;
import io.transferlab.commons.problem.Problem;
import io.transferlab.tuner.persistence.DatabaseUnavailableException;
import io.transferlab.tuner.persistence.TransientDatabaseErrors;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The tuner's own failures as problem+json, next to the shared mappers of service-commons. */
public class TunerProblemMappers {

    private static final Logger LOG = Logger.getLogger(TunerProblemMappers.class);

    @ServerExceptionMapper
    public Response unknown(UnknownIdException e) {
        return Problems.response(404, "not-found", "Not Found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response databaseDown(DatabaseUnavailableException e) {
        return Problems.response(503, "database-unavailable", "Service Unavailable",
                e.getMessage() + "; retry when the tuner is ready again");
    }

    /** A read that PostgreSQL could not answer: 503 while it is unreachable, else a plain 500. */
    @ServerExceptionMapper
    public Response database(PersistenceException e) {
        if (TransientDatabaseErrors.isTransient(e)) {
            return databaseDown(new DatabaseUnavailableException(e));
        }
        LOG.error("query failed while handling a request", e);
        return Problems.build(new Problem("about:blank", "Internal Server Error", 500,
                "an unexpected error occurred: " + e.getClass().getSimpleName(), null, null));
    }
}
