package io.transferlab.vision.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (unsigned bytes; images of 3 dimensions, labels of 1), plain or
 * gzipped (decided by the gzip magic number, not the file name).
 */
public final class IdxFiles {

    private static final int UBYTE_IMAGES = 0x00000803;
    private static final int UBYTE_LABELS = 0x00000801;

    private IdxFiles() {
    }

    public static LabeledImages read(Path images, Path labels, List<String> classNames) throws IOException {
        byte[] pixels;
        int count;
        int rows;
        int cols;
        try (DataInputStream in = open(images)) {
            int magic = in.readInt();
            if (magic != UBYTE_IMAGES) {
                throw new IOException(images + " is not an IDX image file (magic " + Integer.toHexString(magic) + ")");
            }
            count = in.readInt();
            rows = in.readInt();
            cols = in.readInt();
            pixels = new byte[Math.multiplyExact(count, rows * cols)];
            in.readFully(pixels);
        }
        int[] labelValues;
        try (DataInputStream in = open(labels)) {
            int magic = in.readInt();
            if (magic != UBYTE_LABELS) {
                throw new IOException(labels + " is not an IDX label file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            if (n != count) {
                throw new IOException(labels + " has " + n + " labels for " + count + " images in " + images);
            }
            byte[] raw = new byte[n];
            in.readFully(raw);
            labelValues = new int[n];
            for (int i = 0; i < n; i++) {
                labelValues[i] = raw[i] & 0xFF;
            }
        }
        return new LabeledImages(cols, rows, 1, pixels, labelValues, classNames);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        InputStream in = b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        return new DataInputStream(in);
    }
}
