package io.transferlab.systemtest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** The bytes bad input is made of: images, archives and multipart bodies, each made once and kept. */
final class Fixtures {

    private static final Map<String, byte[]> MADE = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    /** A blank gray PNG; large ones compress to little (8192x8192: about 200 KB) but decode to their full size. */
    static byte[] png(int width, int height) {
        return MADE.computeIfAbsent("png " + width + "x" + height, k -> {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            return encode(img, "png");
        });
    }

    /** A 28x28 digit-like stroke (a "1"), what the baseline MNIST model classifies after the suite. */
    static byte[] digit() {
        return MADE.computeIfAbsent("digit", k -> {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(12, 4, 4, 20);
            g.dispose();
            return encode(img, "png");
        });
    }

    /** The first {@code keep} bytes of a PNG: a signature and a header cut short. */
    static byte[] truncatedPng(int keep) {
        return Arrays.copyOf(png(32, 32), keep);
    }

    /** A PNG signature followed by {@code size - 8} bytes of nothing: passes no header check. */
    static byte[] pngSignatureThen(int size) {
        byte[] b = new byte[size];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, b, 0, 8);
        return b;
    }

    private static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A zip entry: a name (any bytes the charset gives) and its content. */
    record Entry(String name, byte[] content) {

        static Entry of(String name, byte[] content) {
            return new Entry(name, content);
        }
    }

    /** Two valid classes of one image each: what a bad entry is added to, so that only the bad entry is wrong. */
    static List<Entry> twoClasses() {
        return List.of(Entry.of("cat/1.png", png(16, 16)), Entry.of("dog/1.png", png(16, 16)));
    }

    static byte[] zip(List<Entry> entries) {
        return zip(entries, StandardCharsets.UTF_8);
    }

    /** A zip with the entry names encoded in {@code names} (not UTF-8: names the server cannot read as UTF-8). */
    static byte[] zip(List<Entry> entries, Charset names) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, names)) {
            for (Entry e : entries) {
                zip.putNextEntry(new ZipEntry(e.name()));
                zip.write(e.content());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<Entry> with(List<Entry> base, Entry... more) {
        List<Entry> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    /** {@code count} entries of {@code each} zero bytes in class folders: compresses about 1000:1. */
    static byte[] zeroBomb(int count, int each) {
        return MADE.computeIfAbsent("bomb " + count + "x" + each, k -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] block = new byte[1 << 20];
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.setLevel(9);
                for (int i = 0; i < count; i++) {
                    zip.putNextEntry(new ZipEntry((i % 2 == 0 ? "cat/" : "dog/") + i + ".png"));
                    for (int left = each; left > 0; left -= block.length) {
                        zip.write(block, 0, Math.min(block.length, left));
                    }
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        });
    }

    /** {@code count} empty entries: an archive past the entry limit that is small on the wire. */
    static byte[] manyEntries(int count) {
        return MADE.computeIfAbsent("entries " + count, k -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                for (int i = 0; i < count; i++) {
                    zip.putNextEntry(new ZipEntry("c" + (i % 2) + "/" + i));
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        });
    }

    /** A multipart/form-data body, built part by part; every byte can be made wrong on purpose. */
    static final class Multipart {

        private final String boundary;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Multipart(String boundary) {
            this.boundary = boundary;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        Multipart file(String field, String fileName, String type, byte[] content) {
            return part("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName + "\"\r\n"
                    + "Content-Type: " + type + "\r\n", content);
        }

        Multipart field(String field, String value) {
            return part("Content-Disposition: form-data; name=\"" + field + "\"\r\n",
                    value.getBytes(StandardCharsets.UTF_8));
        }

        /** A part with exactly these header lines (each ending in CRLF). */
        Multipart part(String headers, byte[] content) {
            raw("--" + boundary + "\r\n" + headers + "\r\n");
            body.writeBytes(content);
            raw("\r\n");
            return this;
        }

        Multipart raw(String text) {
            body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** The body with its closing boundary. */
        byte[] close() {
            raw("--" + boundary + "--\r\n");
            return body.toByteArray();
        }

        /** The body as it is, without a closing boundary. */
        byte[] open() {
            return body.toByteArray();
        }
    }
}
