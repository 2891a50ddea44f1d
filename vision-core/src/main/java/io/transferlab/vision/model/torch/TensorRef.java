package io.transferlab.vision.model.torch;

import java.util.Arrays;

/**
 * A tensor in a checkpoint: a view (offset, shape, strides, in elements) of a storage whose bytes are read only
 * when they are needed.
 */
public record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {

    /** A typed storage: its key in the archive, element type and length in elements. */
    public record Storage(String key, DType dtype, long numel) {
    }

    /** The storage element types torch writes. */
    public enum DType {
        FLOAT32(4), FLOAT64(8), FLOAT16(2), BFLOAT16(2), INT64(8), INT32(4), INT16(2), INT8(1), UINT8(1), BOOL(1);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        static DType ofStorage(String storageClass) {
            return switch (storageClass) {
                case "FloatStorage" -> FLOAT32;
                case "DoubleStorage" -> FLOAT64;
                case "HalfStorage" -> FLOAT16;
                case "BFloat16Storage" -> BFLOAT16;
                case "LongStorage" -> INT64;
                case "IntStorage" -> INT32;
                case "ShortStorage" -> INT16;
                case "CharStorage" -> INT8;
                case "ByteStorage" -> UINT8;
                case "BoolStorage" -> BOOL;
                default -> throw new IllegalArgumentException(storageClass);
            };
        }
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** True if the elements lie one after the other in row-major order, as every torchvision weight does. */
    public boolean contiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    @Override
    public String toString() {
        return storage.dtype() + Arrays.toString(shape);
    }
}
