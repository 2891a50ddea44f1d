package io.transferlab.commons.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.transferlab.commons.problem.Problem;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;

/**
 * Refuses a request whose {@code Content-Type} header is not a media type at all (415, problem+json) before any
 * resource is chosen: JAX-RS would fail to parse it while matching and answer 500. A multipart type without a
 * usable boundary (RFC 2046: 1 to 70 characters) is a broken body (400): the multipart parser fails on an empty
 * one with a StringIndexOutOfBoundsException, which would be a 500.
 */
@ApplicationScoped
public class ContentTypeFilter {

    void register(@Observes Filters filters) {
        filters.register(this::check, 200);
    }

    void check(RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        if (type == null) {
            rc.next();
            return;
        }
        MediaType media = parse(type);
        String shown = type.length() > 80 ? type.substring(0, 80) + "..." : type;
        shown = shown.replaceAll("\\p{Cntrl}", "?");
        if (media == null) {
            EarlyAnswers.problem(rc, new Problem("https://transferlab.io/problems/unsupported-media-type",
                    "Unsupported Media Type", 415, "the Content-Type header '" + shown + "' is not a media type "
                            + "(type/subtype, e.g. application/json)", null, null), true);
            return;
        }
        if ("multipart".equalsIgnoreCase(media.getType()) && !usableBoundary(media)) {
            EarlyAnswers.problem(rc, new Problem("https://transferlab.io/problems/malformed-body", "Bad Request", 400,
                    "the Content-Type header '" + shown + "' has no usable boundary: a multipart body needs "
                            + "'; boundary=<1 to 70 characters>' that separates its parts", null, null), true);
            return;
        }
        rc.next();
    }

    static boolean parses(String header) {
        return parse(header) != null;
    }

    private static MediaType parse(String header) {
        try {
            MediaType t = MediaType.valueOf(header);
            boolean concrete = !t.getType().isBlank() && !t.getSubtype().isBlank() && !"*".equals(t.getType())
                    && !"*".equals(t.getSubtype());
            return concrete ? t : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean usableBoundary(MediaType multipart) {
        // parameter names are case-insensitive (RFC 9110)
        return multipart.getParameters().entrySet().stream().filter(p -> "boundary".equalsIgnoreCase(p.getKey()))
                .anyMatch(p -> p.getValue() != null && !p.getValue().isEmpty() && p.getValue().length() <= 70);
    }
}
