package io.transferlab.vision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads CIFAR-10's binary format: records of 1 label byte and 3,072 pixel bytes (1,024 red, 1,024 green,
 * 1,024 blue, each plane row-major 32x32). Several files are read one after the other.
 */
public final class Cifar10Files {

    public static final int SIDE = 32;
    private static final int PLANE = SIDE * SIDE;
    private static final int RECORD = 1 + 3 * PLANE;

    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private Cifar10Files() {
    }

    public static LabeledImages read(List<Path> files) throws IOException {
        long total = 0;
        for (Path f : files) {
            long size = Files.size(f);
            if (size % RECORD != 0) {
                throw new IOException(f + " is not in CIFAR-10 binary format: " + size + " bytes is not a multiple of "
                        + RECORD);
            }
            total += size / RECORD;
        }
        int count = Math.toIntExact(total);
        byte[] pixels = new byte[count * 3 * PLANE];
        int[] labels = new int[count];
        int i = 0;
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            for (int r = 0; r < bytes.length; r += RECORD, i++) {
                int label = bytes[r] & 0xFF;
                if (label >= CLASS_NAMES.size()) {
                    throw new IOException(f + ": record " + (r / RECORD) + " has label " + label + " (CIFAR-10 has 10)");
                }
                labels[i] = label;
                int out = i * 3 * PLANE;
                // planar RGB on disk, interleaved (HWC) in memory like every other source
                for (int p = 0; p < PLANE; p++) {
                    pixels[out + p * 3] = bytes[r + 1 + p];
                    pixels[out + p * 3 + 1] = bytes[r + 1 + PLANE + p];
                    pixels[out + p * 3 + 2] = bytes[r + 1 + 2 * PLANE + p];
                }
            }
        }
        return new LabeledImages(SIDE, SIDE, 3, pixels, labels, CLASS_NAMES);
    }
}
