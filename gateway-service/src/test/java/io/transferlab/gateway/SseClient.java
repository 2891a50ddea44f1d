package io.transferlab.gateway;

import io.transferlab.contracts.sse.ServerSentEvent;
import io.transferlab.contracts.sse.SseParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a Server-Sent Events stream line by line into events ({@link SseParser}), as a browser would. */
final class SseClient implements AutoCloseable {

    private final List<ServerSentEvent> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile boolean ended;
    private volatile boolean open;

    SseClient(URI uri, String key) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + key).GET().build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            open = true;
            SseParser parser = new SseParser();
            for (String line : (Iterable<String>) r.body()::iterator) {
                ServerSentEvent event = parser.accept(line);
                if (event != null) {
                    events.add(event);
                }
            }
            ended = true;
        });
    }

    boolean open() {
        return open;
    }

    int status() {
        return response.join().statusCode();
    }

    List<ServerSentEvent> events() {
        return List.copyOf(events);
    }

    List<String> names() {
        return events.stream().map(ServerSentEvent::event).toList();
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
