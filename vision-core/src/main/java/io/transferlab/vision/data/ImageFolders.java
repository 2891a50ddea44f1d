package io.transferlab.vision.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.transferlab.vision.InvalidImageException;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import io.transferlab.vision.image.ImageTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Reads a folder with one sub-folder per class (sorted by name: the first is class 0) of JPEG/PNG files. Every
 * image is decoded, checked and resized (bilinear, squashed to a square) to one side so the set fits in memory.
 * The images come in a fixed pseudo-random order (seed 0 over sorted paths), so that taking the first N, or the
 * last fraction as a validation split, sees every class.
 */
public final class ImageFolders {

    private static final long ORDER_SEED = 0L;

    private ImageFolders() {
    }

    /** Class folder names under {@code root}, sorted. */
    public static List<String> classNames(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** The image files of each class, sorted by path; index = class. */
    public static List<List<Path>> files(Path root, List<String> classNames) throws IOException {
        List<List<Path>> result = new ArrayList<>();
        for (String name : classNames) {
            Path dir = root.resolve(name);
            if (!Files.isDirectory(dir)) {
                result.add(List.of());
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                result.add(files.filter(Files::isRegularFile)
                        .filter(p -> isImageName(p.getFileName().toString()))
                        .sorted()
                        .toList());
            }
        }
        return result;
    }

    private static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }

    /** Reads the given files (per class) into one set of {@code side} x {@code side} RGB images. */
    public static LabeledImages read(List<List<Path>> filesPerClass, List<String> classNames, int side,
            ImageDecoder decoder, NDManager manager) throws IOException {
        List<int[]> order = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (int c = 0; c < filesPerClass.size(); c++) {
            for (Path p : filesPerClass.get(c)) {
                order.add(new int[] {paths.size(), c});
                paths.add(p);
            }
        }
        Collections.shuffle(order, new Random(ORDER_SEED));
        int n = order.size();
        // n x imageBytes may exceed 2^31 (14,000 images at 224 px): chunked storage with long offsets
        ImageBytes pixels = new ImageBytes(Math.multiplyExact(Math.multiplyExact(side, side), 3), n);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Path path = paths.get(order.get(i)[0]);
            DecodedImage image;
            try {
                image = decoder.decode(Files.readAllBytes(path));
            } catch (InvalidImageException e) {
                throw new InvalidImageException(path + ": " + e.getMessage(), e);
            }
            pixels.put(i, resizeToRgb(image, side, manager), 0);
            labels[i] = order.get(i)[1];
        }
        return new LabeledImages(side, side, 3, pixels, labels, classNames);
    }

    /** Bilinear resize on the engine (the same interpolation the classifier applies), rounded back to bytes, HWC. */
    static byte[] resizeToRgb(DecodedImage image, int side, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            int c = image.channels();
            NDArray hwc = scope.create(ByteBuffer.wrap(image.pixels()), new Shape(image.height(), image.width(), c),
                    DataType.UINT8);
            NDArray nchw = hwc.toType(DataType.FLOAT32, false).transpose(2, 0, 1).expandDims(0);
            NDArray resized = ImageTensors.resize(nchw, side);
            if (c == 1) {
                resized = resized.repeat(1, 3);
            }
            NDArray out = resized.squeeze(0).transpose(1, 2, 0).round().clip(0, 255).toType(DataType.UINT8, false);
            return out.toByteArray();
        }
    }
}
