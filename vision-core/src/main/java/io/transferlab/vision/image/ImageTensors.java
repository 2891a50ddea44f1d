package io.transferlab.vision.image;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Turns images into the network's input: float NCHW, 3 channels (gray is repeated), bilinearly resized to a
 * square side (half-pixel centres, no antialiasing: what {@code tf.image.resize} and torch's
 * {@code interpolate(align_corners=False)} do), then preprocessed.
 */
public final class ImageTensors {

    private ImageTensors() {
    }

    /**
     * One batch from images that share their width, height and channel count. The result is attached to
     * {@code manager}; intermediate arrays are closed.
     */
    public static NDArray batch(NDManager manager, List<DecodedImage> images, int side, Preprocessing preprocessing) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("an empty batch");
        }
        DecodedImage first = images.get(0);
        int w = first.width();
        int h = first.height();
        int c = first.channels();
        int size = w * h * c;
        ByteBuffer buffer = ByteBuffer.allocateDirect(size * images.size());
        byte[] chw = new byte[size];
        for (DecodedImage image : images) {
            if (image.width() != w || image.height() != h || image.channels() != c) {
                throw new IllegalArgumentException("a batch needs images of one size: " + first + " and " + image);
            }
            buffer.put(c == 1 ? image.pixels() : toChw(image.pixels(), h * w, c, chw));
        }
        buffer.flip();
        try (NDManager scope = manager.newSubManager()) {
            // Planar order is built here so every tensor is contiguous NCHW, whatever the source layout.
            NDArray bytes = scope.create(buffer, new Shape(images.size(), c, h, w), DataType.UINT8);
            NDArray x = bytes.toType(DataType.FLOAT32, false);
            x = resize(x, side);
            if (c == 1) {
                x = x.repeat(1, 3);
            }
            NDArray result = preprocessing.apply(x);
            result.attach(manager);
            return result;
        }
    }

    private static byte[] toChw(byte[] hwc, int plane, int channels, byte[] out) {
        for (int i = 0, o = 0; i < plane; i++, o += channels) {
            for (int ch = 0; ch < channels; ch++) {
                out[ch * plane + i] = hwc[o + ch];
            }
        }
        return out;
    }

    /** Input of one image: [1, 3, side, side]. */
    public static NDArray single(NDManager manager, DecodedImage image, int side, Preprocessing preprocessing) {
        return batch(manager, List.of(image), side, preprocessing);
    }

    /** Bilinear resize of a float NCHW array to side x side (returns the input when it already has that size). */
    public static NDArray resize(NDArray nchw, int side) {
        Shape s = nchw.getShape();
        if (s.get(2) == side && s.get(3) == side) {
            return nchw;
        }
        return nchw.getNDArrayInternal()
                .interpolation(new long[] {side, side}, Image.Interpolation.BILINEAR.ordinal(), false);
    }
}
