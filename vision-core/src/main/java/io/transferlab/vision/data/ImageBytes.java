package io.transferlab.vision.data;

import java.security.MessageDigest;

/**
 * The pixels of {@code count} images of {@code imageBytes} bytes each, in chunks of whole images, so that a data set
 * may exceed 2 GiB (one Java array holds at most 2^31 - 1 bytes: 14,000 RGB images at 224 px already do not fit).
 * Offsets are computed in {@code long}; a chunk is allocated when an image is first written into it, so a set
 * being filled costs only what has been written so far.
 */
public final class ImageBytes {

    /** 64 MiB per chunk: large enough for few chunks, small enough to allocate without a long GC pause. */
    static final int DEFAULT_CHUNK_BYTES = 64 << 20;

    private final int imageBytes;
    private final int count;
    private final int imagesPerChunk;
    private final byte[][] chunks;

    public ImageBytes(int imageBytes, int count) {
        this(imageBytes, count, DEFAULT_CHUNK_BYTES);
    }

    /** {@code chunkBytes}: the target chunk size (tests use small chunks to cross chunk borders cheaply). */
    ImageBytes(int imageBytes, int count, int chunkBytes) {
        if (imageBytes < 1 || count < 0) {
            throw new IllegalArgumentException("imageBytes must be >= 1 and count >= 0, got " + imageBytes + ", "
                    + count);
        }
        this.imageBytes = imageBytes;
        this.count = count;
        this.imagesPerChunk = Math.max(1, chunkBytes / imageBytes);
        this.chunks = new byte[(int) ((count + (long) imagesPerChunk - 1) / imagesPerChunk)][];
    }

    /** Wraps one array holding {@code pixels.length / imageBytes} images (no copy). */
    static ImageBytes wrap(int imageBytes, byte[] pixels) {
        int count = pixels.length / imageBytes;
        ImageBytes b = new ImageBytes(imageBytes, count, Math.max(imageBytes, pixels.length));
        if (b.chunks.length == 1) {
            b.chunks[0] = pixels;
        }
        return b;
    }

    public int count() {
        return count;
    }

    public int imageBytes() {
        return imageBytes;
    }

    /** All the bytes, as a long: count x imageBytes. */
    public long totalBytes() {
        return (long) count * imageBytes;
    }

    int chunkCount() {
        return chunks.length;
    }

    /** Chunks that hold memory now. */
    int allocatedChunks() {
        int n = 0;
        for (byte[] c : chunks) {
            n += c == null ? 0 : 1;
        }
        return n;
    }

    /** Copies {@code imageBytes} bytes from {@code source[offset..]} into image {@code index}. */
    public void put(int index, byte[] source, int offset) {
        check(index);
        int chunk = index / imagesPerChunk;
        if (chunks[chunk] == null) {
            int images = (int) Math.min(imagesPerChunk, count - (long) chunk * imagesPerChunk);
            chunks[chunk] = new byte[images * imageBytes];
        }
        System.arraycopy(source, offset, chunks[chunk], (index % imagesPerChunk) * imageBytes, imageBytes);
    }

    /** Copies image {@code index} into {@code target[offset..]} (zeros for an image never written). */
    public void copy(int index, byte[] target, int offset) {
        check(index);
        byte[] chunk = chunks[index / imagesPerChunk];
        if (chunk == null) {
            java.util.Arrays.fill(target, offset, offset + imageBytes, (byte) 0);
        } else {
            System.arraycopy(chunk, (index % imagesPerChunk) * imageBytes, target, offset, imageBytes);
        }
    }

    /** A copy of image {@code index}. */
    public byte[] get(int index) {
        byte[] out = new byte[imageBytes];
        copy(index, out, 0);
        return out;
    }

    /** Feeds every image, in order, to {@code digest}. */
    void digest(MessageDigest digest) {
        byte[] zeros = null;
        for (int c = 0; c < chunks.length; c++) {
            int images = (int) Math.min(imagesPerChunk, count - (long) c * imagesPerChunk);
            if (chunks[c] != null) {
                digest.update(chunks[c], 0, images * imageBytes);
            } else {
                zeros = zeros != null ? zeros : new byte[imageBytes];
                for (int i = 0; i < images; i++) {
                    digest.update(zeros);
                }
            }
        }
    }

    private void check(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("image " + index + " of " + count);
        }
    }
}
