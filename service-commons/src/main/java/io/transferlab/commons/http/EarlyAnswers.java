package io.transferlab.commons.http;

import io.transferlab.commons.problem.Problem;
import io.transferlab.contracts.json.Json;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request at the HTTP layer, before any resource runs, with a problem. When the answer refuses a body
 * that is still on its way ({@code Connection: close}), an HTTP/1.x connection is closed once the answer is
 * written: otherwise the server keeps it open waiting for the rest of a body it will never read (a client that
 * declares 10 GB and sends nothing would hold it forever), as Quarkus' own body limit does.
 */
public final class EarlyAnswers {

    private EarlyAnswers() {
    }

    public static void problem(RoutingContext rc, Problem p, boolean close) {
        rc.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (!close) {
            rc.response().end(Json.write(p));
            return;
        }
        rc.response().putHeader("Connection", "close").end(Json.write(p)).onComplete(written -> {
            // HTTP/2 multiplexes streams: its connection is not this request's to close
            if (rc.request().version() != HttpVersion.HTTP_2) {
                rc.request().connection().close();
            }
        });
    }
}
