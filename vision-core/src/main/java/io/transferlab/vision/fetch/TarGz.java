package io.transferlab.vision.fetch;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Extracts chosen regular files from a {@code .tar.gz} (ustar/GNU/pax headers), by their base name only: no
 * entry can write outside the target directory, links and devices are skipped, and each file is bounded in size.
 */
public final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {
    }

    /**
     * Writes every regular file whose base name {@code wanted} accepts into {@code dir}; returns their names.
     *
     * @param maxFileBytes a larger entry fails the extraction
     */
    public static List<String> extract(Path archive, Path dir, Predicate<String> wanted, long maxFileBytes)
            throws IOException {
        Files.createDirectories(dir);
        List<String> written = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16))) {
            byte[] header = new byte[BLOCK];
            while (true) {
                if (in.readNBytes(header, 0, BLOCK) != BLOCK) {
                    throw new EOFException(archive + ": tar archive ends inside a header");
                }
                if (allZero(header)) {
                    return written;
                }
                String name = string(header, 0, 100);
                if ("ustar".equals(string(header, 257, 6).trim())) {
                    String prefix = string(header, 345, 155);
                    name = prefix.isEmpty() ? name : prefix + "/" + name;
                }
                long size = octal(header, 124, 12, archive);
                char type = (char) header[156];
                String base = name.substring(name.lastIndexOf('/') + 1);
                boolean regular = type == '0' || type == 0;
                if (regular && !base.isEmpty() && wanted.test(base)) {
                    if (size > maxFileBytes) {
                        throw new IOException(archive + ": " + name + " is " + size + " bytes, over " + maxFileBytes);
                    }
                    try (OutputStream out = Files.newOutputStream(dir.resolve(base))) {
                        copy(in, out, size, archive);
                    }
                    written.add(base);
                } else {
                    copy(in, OutputStream.nullOutputStream(), size, archive);
                }
                copy(in, OutputStream.nullOutputStream(), (BLOCK - size % BLOCK) % BLOCK, archive);
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long size, Path archive) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException(archive + " is truncated");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length, Path archive) throws IOException {
        String digits = string(header, offset, length).trim();
        if (digits.isEmpty() || !digits.matches("[0-7]+")) {
            throw new IOException(archive + ": tar header has size field '" + digits + "'");
        }
        return Long.parseLong(digits, 8);
    }
}
