package io.transferlab.commons.http;

import io.transferlab.commons.problem.Problem;
import io.transferlab.contracts.json.Json;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Answers a request at the HTTP layer, before any resource runs, with a problem. When the answer refuses a body
 * that is still on its way ({@code Connection: close}), the connection closes in stages (RFC 9112, 9.6): what the
 * client still sends is read and dropped for {@link #LINGER}, so that a client that writes its whole body before
 * it reads hears the answer; then an HTTP/1.x connection is closed, so that a body that never comes (10 GB
 * declared, nothing sent) does not hold it forever.
 */
public final class EarlyAnswers {

    /** How long a refused body may keep coming before the connection is closed under it. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private EarlyAnswers() {
    }

    public static void problem(RoutingContext rc, Problem p, boolean close) {
        rc.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (!close) {
            rc.response().end(Json.write(p));
            return;
        }
        rc.response().putHeader("Connection", "close").end(Json.write(p));
        HttpServerRequest request = rc.request();
        // HTTP/2 multiplexes streams: its connection is not this request's to close; an ended request's connection
        // is closed by Vert.x itself (Connection: close)
        if (request.version() == HttpVersion.HTTP_2 || request.isEnded()) {
            return;
        }
        try {
            request.handler(dropped -> { }).resume();
        } catch (IllegalStateException alreadyRead) {
            // a body handler has the body already: nothing left to drop here
        }
        rc.vertx().setTimer(LINGER.toMillis(), t -> request.connection().close());
    }
}
