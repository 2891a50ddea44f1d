package io.transferlab.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a Server-Sent Events stream line by line into events (name + data), as a browser would. */
final class SseClient implements AutoCloseable {

    record Event(String name, String id, String data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile boolean ended;
    private volatile boolean open;

    SseClient(URI uri, String key) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + key).GET().build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            open = true;
            String name = null;
            String id = null;
            List<String> data = new ArrayList<>();
            for (String line : (Iterable<String>) r.body()::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name == null ? "message" : name, id, String.join("\n", data)));
                    }
                    name = null;
                    id = null;
                    data.clear();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
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

    List<Event> events() {
        return List.copyOf(events);
    }

    List<String> names() {
        return events.stream().map(Event::name).toList();
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
