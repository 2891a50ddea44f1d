package io.transferlab.vision.data;

import io.transferlab.vision.image.DecodedImage;
import java.util.List;
import java.util.Objects;

/**
 * Images of one size with their class labels, in a fixed order. Pixels live on the Java heap (8 bits per
 * channel, HWC, one image after the other, in {@link ImageBytes} chunks so that a set may exceed 2 GiB), so a data
 * set costs no native memory until a batch is made.
 */
public final class LabeledImages {

    private final int width;
    private final int height;
    private final int channels;
    private final ImageBytes pixels;
    private final int[] labels;
    private final List<String> classNames;

    public LabeledImages(int width, int height, int channels, byte[] pixels, int[] labels, List<String> classNames) {
        this(width, height, channels, wrap(width, height, channels, pixels, labels), labels, classNames);
    }

    public LabeledImages(int width, int height, int channels, ImageBytes pixels, int[] labels,
            List<String> classNames) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.classNames = List.copyOf(classNames);
        if ((long) width * height * channels != pixels.imageBytes() || labels.length != pixels.count()) {
            throw new IllegalArgumentException("pixels hold " + pixels.count() + " images of " + pixels.imageBytes()
                    + " bytes, expected " + labels.length + " images of " + width + "x" + height + "x" + channels);
        }
        for (int label : labels) {
            if (label < 0 || label >= this.classNames.size()) {
                throw new IllegalArgumentException("label " + label + " is outside the " + this.classNames.size()
                        + " classes");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** The pixels' size in bytes (a long: a set may exceed 2 GiB). */
    public long byteSize() {
        return pixels.totalBytes();
    }

    private static ImageBytes wrap(int width, int height, int channels, byte[] pixels, int[] labels) {
        Objects.requireNonNull(pixels, "pixels");
        long imageBytes = (long) width * height * channels;
        if (imageBytes < 1 || imageBytes > Integer.MAX_VALUE || imageBytes * labels.length != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, expected " + labels.length
                    + " images of " + width + "x" + height + "x" + channels);
        }
        return ImageBytes.wrap((int) imageBytes, pixels);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    public int label(int index) {
        return labels[index];
    }

    public int[] labels() {
        return labels.clone();
    }

    /** A copy of one image's pixels. */
    public DecodedImage image(int index) {
        return DecodedImage.of(width, height, channels, pixels.get(index));
    }

    /** Number of images of each class. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The images at {@code indices}, in that order, as a new compact set with the same classes. */
    public LabeledImages select(int[] indices) {
        ImageBytes p = new ImageBytes(pixels.imageBytes(), indices.length);
        byte[] image = new byte[pixels.imageBytes()];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            pixels.copy(indices[i], image, 0);
            p.put(i, image, 0);
            l[i] = labels[indices[i]];
        }
        return new LabeledImages(width, height, channels, p, l, classNames);
    }

    /** The first {@code count} images. */
    public LabeledImages head(int count) {
        return range(0, Math.min(count, size()));
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public LabeledImages range(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("range " + from + ".." + to + " of " + size());
        }
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return select(indices);
    }

    /** The same images with new labels and class names (for class subsets). */
    LabeledImages withLabels(int[] newLabels, List<String> newClassNames) {
        return new LabeledImages(width, height, channels, pixels, newLabels, newClassNames);
    }

    /** SHA-256 of the images' size and pixels (not the labels): identifies a data slice for the feature cache. */
    public String pixelDigest() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(java.nio.ByteBuffer.allocate(16).putInt(size()).putInt(width).putInt(height).putInt(channels)
                    .array());
            pixels.digest(sha);
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "LabeledImages[" + size() + " x " + width + "x" + height + "x" + channels + ", " + numClasses()
                + " classes]";
    }
}
