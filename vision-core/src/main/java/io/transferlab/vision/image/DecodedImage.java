package io.transferlab.vision.image;

import java.util.Objects;

/**
 * Pixels of one image, 8 bits per channel, rows top to bottom, channels interleaved (HWC): 1 channel (gray) or
 * 3 (RGB). Immutable by convention: code that reads {@link #pixels()} must not write to it.
 */
public final class DecodedImage {

    private final int width;
    private final int height;
    private final int channels;
    private final byte[] pixels;

    private DecodedImage(int width, int height, int channels, byte[] pixels) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image dimensions must be positive: " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (gray) or 3 (RGB), not " + channels);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != width * height * channels) {
            throw new IllegalArgumentException("expected " + width * height * channels + " bytes for " + width + "x"
                    + height + "x" + channels + ", got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = pixels;
    }

    /** Wraps RGB bytes (HWC) without copying them. */
    public static DecodedImage rgb(int width, int height, byte[] pixels) {
        return new DecodedImage(width, height, 3, pixels);
    }

    /** Wraps gray bytes without copying them. */
    public static DecodedImage gray(int width, int height, byte[] pixels) {
        return new DecodedImage(width, height, 1, pixels);
    }

    public static DecodedImage of(int width, int height, int channels, byte[] pixels) {
        return new DecodedImage(width, height, channels, pixels);
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

    /** The pixel bytes themselves (not a copy): read, never write. */
    public byte[] pixels() {
        return pixels;
    }

    /** Unsigned value of one channel of one pixel. */
    public int at(int x, int y, int channel) {
        return pixels[(y * width + x) * channels + channel] & 0xFF;
    }

    @Override
    public String toString() {
        return "DecodedImage[" + width + "x" + height + "x" + channels + "]";
    }
}
