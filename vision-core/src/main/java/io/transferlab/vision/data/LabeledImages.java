package io.transferlab.vision.data;

import io.transferlab.vision.image.DecodedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Images of one size with their class labels, in a fixed order. Pixels live on the Java heap (8 bits per
 * channel, HWC, one image after the other), so a data set costs no native memory until a batch is made.
 */
public final class LabeledImages {

    private final int width;
    private final int height;
    private final int channels;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;

    public LabeledImages(int width, int height, int channels, byte[] pixels, int[] labels, List<String> classNames) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.classNames = List.copyOf(classNames);
        if ((long) width * height * channels * labels.length != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, expected " + labels.length
                    + " images of " + width + "x" + height + "x" + channels);
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

    private int imageBytes() {
        return width * height * channels;
    }

    /** A copy of one image's pixels. */
    public DecodedImage image(int index) {
        int n = imageBytes();
        return DecodedImage.of(width, height, channels, Arrays.copyOfRange(pixels, index * n, (index + 1) * n));
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
        int n = imageBytes();
        byte[] p = new byte[indices.length * n];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * n, p, i * n, n);
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
        int n = imageBytes();
        return new LabeledImages(width, height, channels, Arrays.copyOfRange(pixels, from * n, to * n),
                Arrays.copyOfRange(labels, from, to), classNames);
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
            sha.update(pixels);
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
