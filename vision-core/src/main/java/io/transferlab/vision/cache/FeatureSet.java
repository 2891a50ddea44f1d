package io.transferlab.vision.cache;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.transferlab.vision.data.BatchSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Backbone features of a set of images, read from an open feature file: a batch source for training a head.
 * Holding the file open keeps the entry readable even if the cache evicts (deletes) it meanwhile. Reads are
 * positional, so one set can serve several threads.
 */
public final class FeatureSet implements BatchSource, AutoCloseable {

    private final FileChannel channel;
    private final long dataOffset;
    private final int count;
    private final Shape featureShape;
    private final int[] labels;
    private final Runnable onClose;

    FeatureSet(FileChannel channel, long dataOffset, int count, Shape featureShape, int[] labels, Runnable onClose) {
        this.channel = channel;
        this.dataOffset = dataOffset;
        this.count = count;
        this.featureShape = featureShape;
        this.labels = labels;
        this.onClose = onClose;
    }

    /** Shape of one image's features (C, H, W). */
    public Shape featureShape() {
        return featureShape;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public int label(int position) {
        return labels[position];
    }

    @Override
    public NDArray inputs(NDManager manager, int[] positions, boolean training) {
        long bytesPerImage = featureShape.size() * Float.BYTES;
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(bytesPerImage * positions.length))
                .order(ByteOrder.nativeOrder());
        try {
            for (int i = 0; i < positions.length; i++) {
                ByteBuffer slice = buffer.slice(Math.toIntExact(i * bytesPerImage), Math.toIntExact(bytesPerImage));
                long at = dataOffset + positions[i] * bytesPerImage;
                while (slice.hasRemaining()) {
                    int n = channel.read(slice, at + slice.position());
                    if (n < 0) {
                        throw new IOException("feature file ends early at image " + positions[i]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached features: " + e.getMessage(), e);
        }
        long[] dims = new long[featureShape.dimension() + 1];
        dims[0] = positions.length;
        System.arraycopy(featureShape.getShape(), 0, dims, 1, featureShape.dimension());
        // a libtorch-owned copy: autograd may keep the input of the head's first layer beyond this Java array's life
        try (NDArray javaOwned = manager.create(buffer, new Shape(dims), DataType.FLOAT32)) {
            return javaOwned.duplicate();
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a read-only channel has nothing to flush
        } finally {
            onClose.run();
        }
    }
}
