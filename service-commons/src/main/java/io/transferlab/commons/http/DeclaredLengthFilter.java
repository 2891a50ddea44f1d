package io.transferlab.commons.http;

import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.transferlab.commons.problem.Problem;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body whose declared length is over {@code quarkus.http.limits.max-body-size} with 413 problem+json
 * before a byte of it is read, and closes the connection. Quarkus refuses the same body a step later, but with an
 * empty body a client cannot tell from a proxy's. Endpoints with smaller limits check them themselves.
 */
@ApplicationScoped
public class DeclaredLengthFilter {

    private final long limit;

    public DeclaredLengthFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
            String maxBodySize) {
        this.limit = new MemorySizeConverter().convert(maxBodySize).asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 150);
    }

    void check(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = -1; // the HTTP codec refuses such a request before it gets here
        }
        if (declared > limit) {
            EarlyAnswers.problem(rc, new Problem("https://transferlab.io/problems/payload-too-large",
                    "Payload Too Large", 413, "the body is " + declared + " bytes; this service takes at most "
                            + limit + " bytes", null, null), true);
            return;
        }
        rc.next();
    }
}
