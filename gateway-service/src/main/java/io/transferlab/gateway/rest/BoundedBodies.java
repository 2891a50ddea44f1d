package io.transferlab.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transferlab.gateway.service.PayloadTooLargeException;
import jakarta.ws.rs.BadRequestException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads request bodies without trusting their declared length: at most the limit is ever held or written. */
final class BoundedBodies {

    private BoundedBodies() {
    }

    /**
     * A JSON body of at most {@code limit} bytes, bound to {@code type}; null when the body is empty. The JSON
     * endpoints read their bodies this way because a chunked body has no length for the filter to check: bound as
     * it streams, it could be any size (a list of millions of numbers is millions of objects).
     *
     * @throws JsonProcessingException answered as 400 by the shared problem mappers
     */
    static <T> T readJson(InputStream in, long limit, ObjectMapper mapper, Class<T> type)
            throws JsonProcessingException {
        byte[] body = read(in, limit, "a JSON body");
        if (body.length == 0) {
            return null;
        }
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // bytes in memory: only a mapper bug gets here
        }
    }

    static byte[] read(InputStream in, long limit, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        copy(in, out, limit, what);
        return out.toByteArray();
    }

    static void spool(InputStream in, Path target, long limit, String what) {
        try (OutputStream out = Files.newOutputStream(target)) {
            copy(in, out, limit, what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(InputStream in, OutputStream out, long limit, String what) {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int r;
        while ((r = readSome(in, buf)) != -1) {
            total += r;
            if (total > limit) {
                throw new PayloadTooLargeException(what + " may be at most " + limit + " bytes; the body is larger");
            }
            try {
                out.write(buf, 0, r);
            } catch (IOException e) {
                throw new UncheckedIOException("spooling the request body failed", e);
            }
        }
    }

    private static int readSome(InputStream in, byte[] buf) {
        try {
            return in.read(buf);
        } catch (IOException e) {
            // the caller's body broke off (connection closed mid-way, chunk framing cut short): its mistake, a 400
            throw new BadRequestException("the request body could not be read to its end (" + e.getMessage()
                    + "); send it whole", e);
        }
    }
}
