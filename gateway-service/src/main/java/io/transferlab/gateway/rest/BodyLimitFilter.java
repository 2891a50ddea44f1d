package io.transferlab.gateway.rest;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.transferlab.commons.http.EarlyAnswers;
import io.transferlab.commons.problem.Problem;
import io.transferlab.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a body whose declared length is over its endpoint's limit before a byte of it is read (413,
 * problem+json) and closes the connection: images at {@code /api/v1/classifications}, archives at
 * {@code /api/v1/datasets}. Every other body (JSON: trainings, tunings) is limited to
 * {@code transferlab.gateway.max-json-size} (1 MB). Bodies without a length (chunked) are counted while they are
 * read, with the same limits, by the resources ({@link BoundedBodies}).
 */
@ApplicationScoped
public class BodyLimitFilter {

    /** Room for multipart boundaries and the small form fields around an image. */
    static final long MULTIPART_SLACK = 64 * 1024;

    private final long maxImage;
    private final long maxUpload;
    private final long maxJson;

    public BodyLimitFilter(GatewayConfig config) {
        this.maxImage = config.classify().maxImageSize().asLongValue();
        this.maxUpload = config.datasets().maxUploadSize().asLongValue();
        this.maxJson = config.maxJsonSize().asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 100);
    }

    private void check(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            rc.next();
            return;
        }
        String path = rc.normalizedPath();
        long limit;
        String what;
        if (path.startsWith("/api/v1/classifications")) {
            limit = maxImage;
            what = "an image";
        } else if (path.startsWith("/api/v1/datasets")) {
            limit = maxUpload;
            what = "a data set archive";
        } else {
            // every other body the gateway takes is JSON (trainings, tunings): small, and parsed whole
            limit = maxJson;
            what = "a JSON body";
        }
        String length = rc.request().getHeader("Content-Length");
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = -1;
        }
        String type = rc.request().getHeader("Content-Type");
        long allowed = type != null && type.startsWith("multipart/") ? limit + MULTIPART_SLACK : limit;
        if (declared > allowed) {
            EarlyAnswers.problem(rc, new Problem("https://transferlab.io/problems/payload-too-large",
                    "Payload Too Large", 413, "the body is " + declared + " bytes; " + what + " may be at most " + limit
                            + " bytes", null, null), true);
            return;
        }
        rc.next();
    }
}
