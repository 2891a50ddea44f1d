package io.transferlab.gateway.rest;

import io.transferlab.gateway.service.PayloadTooLargeException;
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
        try {
            int r;
            while ((r = in.read(buf)) != -1) {
                total += r;
                if (total > limit) {
                    throw new PayloadTooLargeException(what + " may be at most " + limit + " bytes; the body is larger");
                }
                out.write(buf, 0, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }
}
