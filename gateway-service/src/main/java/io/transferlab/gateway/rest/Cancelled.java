package io.transferlab.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.transferlab.contracts.train.ControlAction;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** Answer to a DELETE: the cancel request is on its way (the run or study stops shortly after). */
public record Cancelled(String id, ControlAction action, Instant requestedAt, String location) {

    /**
     * 202 with the cancel that {@code cancel} published, once {@code known} says the id exists (else its 404);
     * nothing is published for an unknown id.
     */
    static <C> CompletionStage<Response> afterCheck(Uni<Void> known, Supplier<CompletionStage<C>> cancel,
            Function<C, Cancelled> view) {
        return known.subscribeAsCompletionStage().thenCompose(ok -> cancel.get())
                .thenApply(c -> Response.accepted(view.apply(c)).build());
    }
}
