package io.transferlab.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTP/1.1 over a plain socket, one connection per request ({@code Connection: close}). Hostile input needs what
 * well-behaved clients refuse to send: raw bytes in the request line, a {@code Content-Length} that lies, header
 * values that are not media types, bodies cut off mid-way. The body is written on a thread of its own while the
 * response is read, so a server that answers early (413 after the headers) is heard even when it stops reading.
 */
final class RawHttp {

    /** Longer than any documented wait of the services (the gateway's 30 s classification timeout). */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);
    /** How long a server may keep the connection open after its answer to a {@code Connection: close} request. */
    static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);
    static final int NO_ANSWER = -1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-http-writer");
        t.setDaemon(true);
        return t;
    });

    private RawHttp() {
    }

    /** What to send. Headers are sent as given, in order; {@code Host} and {@code Connection} are added. */
    static final class Request {
        final String method;
        final byte[] target;
        final List<String[]> headers = new ArrayList<>();
        Body body = Body.NONE;

        private Request(String method, byte[] target) {
            this.method = method;
            this.target = target;
        }

        Request header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        Request bearer(String key) {
            return key == null ? this : header("Authorization", "Bearer " + key);
        }

        /** A body with a correct {@code Content-Length}. */
        Request body(byte[] bytes) {
            this.body = Body.fixed(bytes);
            return this;
        }

        Request body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        Request body(Body b) {
            this.body = b;
            return this;
        }

        boolean hasHeader(String name) {
            return headers.stream().anyMatch(h -> h[0].equalsIgnoreCase(name));
        }

        @Override
        public String toString() {
            return method + " " + new String(target, StandardCharsets.ISO_8859_1);
        }
    }

    /** How a body goes on the wire. */
    interface Body {
        Body NONE = out -> { };

        /** Writes the body (and any framing) after the headers. */
        void write(OutputStream out) throws IOException;

        /** Extra headers the framing needs ({@code Content-Length}, {@code Transfer-Encoding}). */
        default List<String[]> framing() {
            return List.of();
        }

        static Body fixed(byte[] bytes) {
            return new Body() {
                @Override
                public void write(OutputStream out) throws IOException {
                    out.write(bytes);
                }

                @Override
                public List<String[]> framing() {
                    return List.<String[]>of(new String[] {"Content-Length", String.valueOf(bytes.length)});
                }
            };
        }

        /** {@code size} bytes: {@code head}, then {@code fill} repeated, sent chunked (no length) or with a length. */
        static Body generated(byte[] head, byte fill, long size, boolean chunked) {
            return new Body() {
                @Override
                public void write(OutputStream out) throws IOException {
                    byte[] block = new byte[64 * 1024];
                    java.util.Arrays.fill(block, fill);
                    long sent = 0;
                    boolean first = true;
                    while (sent < size) {
                        byte[] piece = first ? head : block;
                        int n = (int) Math.min(piece.length, size - sent);
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(piece, 0, n);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        sent += n;
                        first = false;
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }

                @Override
                public List<String[]> framing() {
                    return List.<String[]>of(chunked ? new String[] {"Transfer-Encoding", "chunked"}
                            : new String[] {"Content-Length", String.valueOf(size)});
                }
            };
        }

        /** The given bytes sent chunked, in pieces of {@code piece} bytes. */
        static Body chunked(byte[] bytes) {
            return new Body() {
                @Override
                public void write(OutputStream out) throws IOException {
                    for (int at = 0; at < bytes.length; at += 8192) {
                        int n = Math.min(8192, bytes.length - at);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(bytes, at, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }

                @Override
                public List<String[]> framing() {
                    return List.<String[]>of(new String[] {"Transfer-Encoding", "chunked"});
                }
            };
        }

        /** Exactly these bytes after the headers, with the headers the request names itself (lies included). */
        static Body raw(byte[] bytes) {
            return out -> out.write(bytes);
        }

        /** Whether the client stops sending after the body (half-close): a body cut off for good. */
        default boolean cutOff() {
            return false;
        }

        /** These bytes, then nothing more: the client closes its sending side, as a client that died does. */
        static Body cutOff(byte[] bytes) {
            return new Body() {
                @Override
                public void write(OutputStream out) throws IOException {
                    out.write(bytes);
                }

                @Override
                public boolean cutOff() {
                    return true;
                }
            };
        }
    }

    /**
     * What came back. {@code headers} keys are lower case. {@code status} is {@link #NO_ANSWER} when the server
     * closed the connection without answering; {@code closed} says whether it closed the connection within
     * {@link #CLOSE_WITHIN} of its answer, as a client that sent {@code Connection: close} may expect.
     */
    record Response(int status, Map<String, String> headers, byte[] body, boolean closed) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON, or null when it is not JSON. */
        JsonNode json() {
            try {
                return body.length == 0 ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            if (status == NO_ANSWER) {
                return "(connection closed without an answer)";
            }
            String shown = text();
            return status + " " + headers.getOrDefault("content-type", "(no content type)") + " "
                    + (shown.length() > 600 ? shown.substring(0, 600) + "..." : shown);
        }
    }

    static Request request(String method, String target) {
        return new Request(method, target.getBytes(StandardCharsets.UTF_8));
    }

    /** A request line with exactly these bytes as its target (e.g. raw UTF-8 or control characters). */
    static Request request(String method, byte[] target) {
        return new Request(method, target);
    }

    /**
     * Sends {@code r} to localhost:{@code port} and reads the whole answer.
     *
     * @throws UncheckedIOException when the connection fails or the server sends nothing within
     *         {@link #ANSWER_WITHIN} (a hang)
     */
    static Response send(int port, Request r) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 5_000);
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write((r.method + " ").getBytes(StandardCharsets.US_ASCII));
            head.write(r.target);
            head.write(" HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            List<String[]> headers = new ArrayList<>();
            headers.add(new String[] {"Host", "localhost:" + port});
            headers.addAll(r.headers);
            for (String[] h : r.body.framing()) {
                if (!r.hasHeader(h[0])) {
                    headers.add(h);
                }
            }
            headers.add(new String[] {"Connection", "close"});
            for (String[] h : headers) {
                // ISO-8859-1 so that a test can put any byte into a header value
                head.write((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            head.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(head.toByteArray());
            out.flush();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    r.body.write(out);
                    out.flush();
                    if (r.body.cutOff()) {
                        socket.shutdownOutput();
                    }
                } catch (IOException e) {
                    // the server stopped reading (it answered early and closed): its answer is what counts
                }
            }, WRITERS);
            Response answer = read(socket);
            writing.cancel(true);
            return answer;
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("no answer within " + ANSWER_WITHIN + " to " + r + " (a hang)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("connection failed for " + r + ": " + e, e);
        }
    }

    /**
     * Reads until the answer is complete by its own framing (a length, chunks, or the end of the connection),
     * then up to {@link #CLOSE_WITHIN} more for the server to close the connection.
     */
    private static Response read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        Response answer = null;
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                if (answer != null) {
                    return answer; // answered, but the connection stayed open
                }
                throw e;
            } catch (java.net.SocketException e) {
                n = -1; // a reset: the server closed with our body unread; what it said before still counts
            }
            if (n == -1) {
                if (answer != null) {
                    return new Response(answer.status(), answer.headers(), answer.body(), true);
                }
                byte[] raw = all.toByteArray();
                return raw.length == 0 ? new Response(NO_ANSWER, Map.of(), raw, true) : parse(raw, true, true);
            }
            all.write(buf, 0, n);
            if (answer == null) {
                answer = parse(all.toByteArray(), false, false);
                if (answer != null) {
                    socket.setSoTimeout((int) CLOSE_WITHIN.toMillis());
                }
            }
        }
    }

    /** The answer in {@code raw}, or null while it is incomplete ({@code atEnd}: nothing more will come). */
    private static Response parse(byte[] raw, boolean atEnd, boolean closed) throws IOException {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) {
            if (atEnd) {
                throw new IOException("not an HTTP response (" + raw.length + " bytes): "
                        + new String(raw, 0, Math.min(raw.length, 200), StandardCharsets.ISO_8859_1));
            }
            return null;
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            boolean complete = indexOf(body, "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0) >= 0;
            if (!complete && !atEnd) {
                return null;
            }
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            if (body.length < length && !atEnd) {
                return null;
            }
            body = java.util.Arrays.copyOf(body, Math.min(length, body.length));
        } else if (!atEnd) {
            return null; // delimited by the end of the connection
        }
        return new Response(status, headers, body, closed);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            int from = lineEnd + 2;
            out.write(chunked, from, Math.min(size, chunked.length - from));
            at = from + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
