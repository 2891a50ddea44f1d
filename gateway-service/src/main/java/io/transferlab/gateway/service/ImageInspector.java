package io.transferlab.gateway.service;

import io.transferlab.contracts.image.ImageFormat;
import io.transferlab.contracts.image.ImageLimits;
import io.transferlab.gateway.service.ImageRejectedException.Reason;

/**
 * Reads an image's format from its magic number and its width and height from its header (PNG IHDR, JPEG SOFn),
 * without decoding pixels. The declared Content-Type is never trusted: the bytes decide.
 */
public final class ImageInspector {

    private final int minSide;
    private final ImageLimits limits;

    public ImageInspector(int minSide, int maxSide) {
        this(minSide, new ImageLimits(maxSide, ImageLimits.DEFAULT_MAX_PIXELS));
    }

    /** Sides below {@code minSide} and anything over the shared {@link ImageLimits} (the decoder's) are refused. */
    public ImageInspector(int minSide, ImageLimits limits) {
        this.minSide = minSide;
        this.limits = limits;
    }

    /** The format named by the magic number, or null when the bytes are neither JPEG nor PNG. */
    public static ImageFormat sniff(byte[] bytes, int length) {
        return ImageFormat.detect(bytes, length);
    }

    /**
     * Inspects the first {@code length} bytes of an image (the whole image, or a prefix long enough to hold its
     * header) and checks its sides against the configured bounds.
     *
     * @throws ImageRejectedException saying why the image is not acceptable
     */
    public ImageInfo inspect(byte[] bytes, int length) {
        ImageFormat format = sniff(bytes, length);
        if (format == null) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_MEDIA_TYPE,
                    "the bytes are not a JPEG or PNG image (checked by magic number" + describeStart(bytes, length) + ")");
        }
        ImageInfo info = format == ImageFormat.PNG ? png(bytes, length) : jpeg(bytes, length);
        if (info.width() < minSide || info.height() < minSide || info.width() > limits.maxSide()
                || info.height() > limits.maxSide()) {
            throw new ImageRejectedException(Reason.DIMENSIONS_OUT_OF_BOUNDS, "image is " + info.width() + "x"
                    + info.height() + " pixels; each side must be between " + minSide + " and " + limits.maxSide());
        }
        String tooMany = limits.violation(info.width(), info.height());
        if (tooMany != null) {
            throw new ImageRejectedException(Reason.DIMENSIONS_OUT_OF_BOUNDS, tooMany);
        }
        return info;
    }

    private static ImageInfo png(byte[] b, int length) {
        // Signature (8), then the first chunk must be IHDR: length 13, type, width, height.
        if (length < 24 || readInt(b, 8) != 13 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new ImageRejectedException(Reason.CORRUPT_HEADER, "PNG signature without a valid IHDR header chunk");
        }
        long width = readInt(b, 16) & 0xFFFFFFFFL;
        long height = readInt(b, 20) & 0xFFFFFFFFL;
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new ImageRejectedException(Reason.CORRUPT_HEADER, "PNG header gives impossible dimensions "
                    + width + "x" + height);
        }
        return new ImageInfo(ImageFormat.PNG, (int) width, (int) height);
    }

    private static ImageInfo jpeg(byte[] b, int length) {
        int i = 2;
        while (i < length) {
            if ((b[i] & 0xFF) != 0xFF) {
                throw new ImageRejectedException(Reason.CORRUPT_HEADER,
                        "JPEG header is corrupt: expected a marker at byte " + i);
            }
            while (i < length && (b[i] & 0xFF) == 0xFF) {
                i++; // fill bytes
            }
            if (i >= length) {
                break;
            }
            int marker = b[i++] & 0xFF;
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw new ImageRejectedException(Reason.CORRUPT_HEADER,
                        "JPEG has no frame header (SOF) before its image data");
            }
            if (i + 2 > length) {
                break;
            }
            int segment = ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
            if (segment < 2) {
                throw new ImageRejectedException(Reason.CORRUPT_HEADER, "JPEG segment with length " + segment);
            }
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
                    && marker != 0xCC;
            if (startOfFrame) {
                if (i + 7 > length) {
                    break;
                }
                int height = ((b[i + 3] & 0xFF) << 8) | (b[i + 4] & 0xFF);
                int width = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                if (width == 0 || height == 0) {
                    throw new ImageRejectedException(Reason.CORRUPT_HEADER,
                            "JPEG frame header gives dimensions " + width + "x" + height);
                }
                return new ImageInfo(ImageFormat.JPEG, width, height);
            }
            i += segment;
        }
        throw new ImageRejectedException(Reason.CORRUPT_HEADER, "JPEG header ends before its frame header (SOF)"
                + " within the first " + length + " bytes");
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static String describeStart(byte[] b, int length) {
        if (length == 0) {
            return "; the body is empty";
        }
        StringBuilder sb = new StringBuilder("; it starts with");
        for (int i = 0; i < Math.min(4, length); i++) {
            sb.append(String.format(" %02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
