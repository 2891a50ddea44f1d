package io.transferlab.inference.rest;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.inference.rest.oip.OipError;
import io.transferlab.inference.service.Failures;
import io.transferlab.commons.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * HTTP statuses of the {@code /v2} endpoints, decided once: a bad request 400, an unknown model 404, a full queue
 * or weights that are not installed 503 (retry later / after installing them), anything else 500. The body is
 * always the protocol's {@code {"error": "..."}}, as problem+json ({@link OipError}).
 */
public final class OipErrors {

    private static final Logger LOG = Logger.getLogger(OipErrors.class);

    public static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_SPEC, INVALID_IMAGE, UNKNOWN_DATASET, CANCELLED -> 400;
            case UNKNOWN_MODEL -> 404;
            case BUSY, MISSING_WEIGHTS, OUT_OF_MEMORY -> 503;
            case INTERNAL -> 500;
            case RESOURCE_LIMIT, TRAINER_CRASHED, MODEL_OWNED -> 500; // training codes: never produced here
        };
    }

    /** Any failure of the inference path as the exception the mapper answers. */
    public static OipException of(Throwable failure) {
        Throwable t = Failures.unwrap(failure);
        if (t instanceof OipException oip) {
            return oip;
        }
        if (t instanceof IllegalArgumentException) {
            return OipException.badRequest(t.getMessage());
        }
        ErrorInfo info = Failures.describe(t);
        if (info.code() == ErrorCode.INTERNAL) {
            LOG.error("inference request failed", t);
        }
        return new OipException(status(info.code()), info.code(), info.message());
    }

    public static Response response(OipException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(Problem.MEDIA_TYPE)
                .entity(OipError.of(e.status(), e.code(), e.getMessage()));
        if (e.code() == ErrorCode.BUSY) {
            r.header("Retry-After", "1");
        }
        return r.build();
    }

    private OipErrors() {
    }
}
