package io.transferlab.commons.http;

import io.transferlab.commons.problem.MalformedBodies;
import io.transferlab.commons.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Answers failures of the HTTP layer itself (before or beside JAX-RS: a multipart body that does not decode, a body
 * over {@code quarkus.http.limits.max-body-size}, too many form fields) with problem+json instead of Quarkus'
 * default error page, whose {@code {"details":"Error id ...","stack":""}} a client cannot act on. Anything that is
 * neither a decoder failure nor a 4xx goes on to Quarkus' handler, which logs it with an error id.
 */
@ApplicationScoped
public class HttpFailureProblems {

    /** Before Quarkus' own failure handler, which the router runs last. */
    static final int ORDER = -100;

    void register(@Observes Router router) {
        router.route().order(ORDER).failureHandler(this::handle);
    }

    void handle(RoutingContext rc) {
        if (rc.response().ended() || rc.response().headWritten()) {
            rc.next();
            return;
        }
        Optional<Problem> problem = MalformedBodies.problemFor(rc.failure());
        if (problem.isEmpty() && rc.statusCode() >= 400 && rc.statusCode() < 500) {
            int status = rc.statusCode();
            io.netty.handler.codec.http.HttpResponseStatus info = io.netty.handler.codec.http.HttpResponseStatus
                    .valueOf(status);
            String detail = status == 413 ? "the body is larger than this service accepts"
                    : rc.failure() != null && rc.failure().getMessage() != null ? rc.failure().getMessage()
                    : info.reasonPhrase();
            problem = Optional.of(new Problem("about:blank", info.reasonPhrase(), status, detail, null, null));
        }
        if (problem.isEmpty()) {
            rc.next();
            return;
        }
        // the rest of an oversized body is not worth reading
        EarlyAnswers.problem(rc, problem.get(), problem.get().status() == 413);
    }
}
