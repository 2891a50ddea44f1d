package io.transferlab.commons.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.transferlab.commons.problem.Problem;
import io.transferlab.contracts.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;

/**
 * Refuses a request whose {@code Content-Type} header is not a media type at all (415, problem+json) before any
 * resource is chosen: JAX-RS would fail to parse it while matching and answer 500.
 */
@ApplicationScoped
public class ContentTypeFilter {

    void register(@Observes Filters filters) {
        filters.register(this::check, 200);
    }

    void check(RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        if (type == null || parses(type)) {
            rc.next();
            return;
        }
        String shown = type.length() > 80 ? type.substring(0, 80) + "..." : type;
        Problem p = new Problem("https://transferlab.io/problems/unsupported-media-type", "Unsupported Media Type",
                415, "the Content-Type header '" + shown.replaceAll("\\p{Cntrl}", "?") + "' is not a media type "
                        + "(type/subtype, e.g. application/json)", null, null);
        rc.response().setStatusCode(415).putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Connection", "close")
                .end(Json.write(p));
    }

    static boolean parses(String header) {
        try {
            MediaType t = MediaType.valueOf(header);
            return !t.getType().isBlank() && !t.getSubtype().isBlank() && !"*".equals(t.getType())
                    && !"*".equals(t.getSubtype());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
