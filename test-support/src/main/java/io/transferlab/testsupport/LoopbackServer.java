package io.transferlab.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server for download tests: serves byte arrays by path, honours {@code Range: bytes=N-}, counts
 * full and ranged requests per path, and can cut the next transfers short or hold a transfer until released.
 */
public final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> rangeRequests = new ConcurrentHashMap<>();
    private final AtomicInteger truncateNext = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);

    public LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public LoopbackServer serve(String path, byte[] bytes) {
        files.put(path, bytes);
        return this;
    }

    /** The next {@code n} responses send only half of what they announce, then drop the connection. */
    public void truncateNext(int n) {
        truncateNext.set(n);
    }

    /** Responses wait (headers sent, body not) until {@link #release()}. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    public int requests(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    public int rangeRequests(String path) {
        return rangeRequests.getOrDefault(path, new AtomicInteger()).get();
    }

    public static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    public static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        byte[] bytes = files.get(path);
        if (bytes == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        int from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            rangeRequests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
        }
        int length = bytes.length - from;
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, length);
        try {
            if (!hold.await(30, TimeUnit.SECONDS)) {
                throw new IOException("held too long");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean truncate = truncateNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        OutputStream out = exchange.getResponseBody();
        try {
            out.write(bytes, from, truncate ? length / 2 : length);
            out.flush();
            if (truncate) {
                // announced length not reached: the server drops the connection, the client sees a short body
                throw new IOException("cut short on purpose");
            }
            out.close();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        hold.countDown();
        server.stop(0);
    }
}
