package io.transferlab.commons.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.transferlab.commons.messaging.BrokerUnavailableException;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.contracts.validation.Violation;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps exceptions to problem+json once, for every resource of every service. Services add mappers for their own
 * failures (timeouts, unknown ids) with the same {@link Problems} helpers.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(ValidationException e) {
        return Problems.invalid(e.violations().size() + " violation(s): " + e.getMessage(), e.violations());
    }

    @ServerExceptionMapper
    public Response unreadable(MessageFormatException e) {
        return Problems.invalid(e.getMessage(), List.of());
    }

    /** Jackson's own errors for a body that does not bind: unknown field, wrong type, malformed JSON. */
    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return Problems.invalid(Json.describe(e, Object.class).replace(" in Object", "").replace(" for Object", ""),
                List.of());
    }

    /** Overrides Quarkus' built-in mapper for this subtype, which answers plain JSON instead of a problem. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response brokerDown(BrokerUnavailableException e) {
        return Problems.response(503, "broker-unavailable", "Service Unavailable",
                e.getMessage() + "; nothing was submitted, retry later");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // the JSON reader wraps syntax errors (a truncated or non-JSON body) into a bare 400: say what is wrong
            return unreadable(json);
        }
        if (e instanceof NotFoundException && e.getCause() != null
                && !(e.getCause() instanceof WebApplicationException)) {
            // JAX-RS answers a query or path parameter that does not convert (limit=abc, status=NOPE) with a bare
            // 404; the resource is there, the value is what is wrong
            return Problems.invalid("a parameter has a value of the wrong type or not among its values ("
                    + conversion(e.getCause()) + ")", List.of());
        }
        Response r = e.getResponse();
        if (r.hasEntity() && r.getMediaType() != null && r.getMediaType().toString().startsWith(Problem.MEDIA_TYPE)) {
            return r;
        }
        int status = r.getStatus();
        Response.StatusType info = Response.Status.fromStatusCode(status);
        String title = info == null ? "HTTP " + status : info.getReasonPhrase();
        return Problems.build(new Problem("about:blank", title, status, e.getMessage(), null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        java.util.Optional<Problem> malformed = MalformedBodies.problemFor(e);
        if (malformed.isPresent()) {
            return Problems.build(malformed.get());
        }
        LOG.error("unexpected error while handling a request", e);
        return Problems.build(new Problem("about:blank", "Internal Server Error", 500,
                "an unexpected error occurred: " + e.getClass().getSimpleName(), null, null));
    }

    /** What a parameter converter said, without the package names of the types it names. */
    private static String conversion(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        message = message.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z])", "$1").replaceAll("\\p{Cntrl}", "?");
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    /** Lets services report a single bad field the same way validation does. */
    public static Response invalidField(String path, String message) {
        return Problems.invalid(path + " " + message, List.of(new Violation(path, message)));
    }
}
