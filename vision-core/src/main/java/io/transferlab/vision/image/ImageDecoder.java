package io.transferlab.vision.image;

import io.transferlab.contracts.image.ImageFormat;
import io.transferlab.contracts.image.ImageLimits;
import io.transferlab.vision.InvalidImageException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG and PNG bytes into RGB or gray pixels. The format is decided by the magic number; the dimensions
 * are read from the header and checked before any pixel is decoded, so a tiny file that claims a huge image
 * cannot exhaust memory: each side and the pixel count are bounded ({@link ImageLimits}, shared with the gateway). Anything the decoder complains about (including JPEG warnings such as a premature end
 * of data) is an {@link InvalidImageException}. Thread-safe: it keeps no state besides its bound.
 */
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder(int maxSide) {
        this(new ImageLimits(requirePositive(maxSide), ImageLimits.DEFAULT_MAX_PIXELS));
    }

    /** Checks every image against {@code limits} (sides and pixel count) from its header, before decoding. */
    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    private static int requirePositive(int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be >= 1");
        }
        return maxSide;
    }

    public int maxSide() {
        return limits.maxSide();
    }

    public ImageLimits limits() {
        return limits;
    }

    /**
     * Reads format and dimensions from the header only, checked against the limits: what decoding the image would
     * cost can be known (and reserved) before a pixel is allocated.
     *
     * @throws InvalidImageException for an unknown format, a broken header or dimensions over the limits
     */
    public ImageHeader probe(byte[] bytes) {
        ImageFormat format = detect(bytes);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(format);
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkDimensions(format, width, height);
                return new ImageHeader(format, width, height);
            } finally {
                reader.dispose();
            }
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidImageException("corrupt or unreadable " + format + " image header: " + e.getMessage(), e);
        }
    }

    /** Checks pixels a client decoded itself against the same limits. */
    public void check(DecodedImage pixels) {
        String violation = limits.violation(pixels.width(), pixels.height());
        if (violation != null) {
            throw new InvalidImageException(violation);
        }
    }

    private static ImageFormat detect(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException("no image bytes");
        }
        ImageFormat format = ImageFormat.detect(bytes);
        if (format == null) {
            throw new InvalidImageException("unsupported image format: only JPEG and PNG are accepted (the "
                    + bytes.length + " bytes start with " + hexPrefix(bytes) + ")");
        }
        return format;
    }

    public DecodedImage decode(byte[] bytes) {
        ImageFormat format = detect(bytes);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(format);
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkDimensions(format, width, height);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new InvalidImageException("corrupt " + format + " image: " + String.join("; ", warnings));
                }
                return toPixels(image);
            } finally {
                reader.dispose();
            }
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidImageException("corrupt or unreadable " + format + " image: " + e.getMessage(), e);
        }
    }

    private void checkDimensions(ImageFormat format, int width, int height) {
        if (width < 1 || height < 1) {
            throw new InvalidImageException(format + " image has no pixels (" + width + "x" + height + ")");
        }
        String violation = limits.violation(width, height);
        if (violation != null) {
            throw new InvalidImageException(format + ": " + violation);
        }
    }

    private static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerName());
        if (!readers.hasNext()) {
            throw new IllegalStateException("this JVM has no ImageIO reader for " + format);
        }
        return readers.next();
    }

    private static DecodedImage toPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        switch (image.getType()) {
            case BufferedImage.TYPE_BYTE_GRAY: {
                byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
                if (data.length == w * h) {
                    return DecodedImage.gray(w, h, data.clone());
                }
                break;
            }
            case BufferedImage.TYPE_3BYTE_BGR: {
                byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
                if (bgr.length == w * h * 3) {
                    byte[] rgb = new byte[bgr.length];
                    for (int i = 0; i < bgr.length; i += 3) {
                        rgb[i] = bgr[i + 2];
                        rgb[i + 1] = bgr[i + 1];
                        rgb[i + 2] = bgr[i];
                    }
                    return DecodedImage.rgb(w, h, rgb);
                }
                break;
            }
            default:
                break;
        }
        // Palette, alpha, 16-bit and other layouts: let Java2D convert to sRGB, dropping alpha.
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int o = y * w * 3;
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                rgb[o++] = (byte) (argb >> 16);
                rgb[o++] = (byte) (argb >> 8);
                rgb[o++] = (byte) argb;
            }
        }
        return DecodedImage.rgb(w, h, rgb);
    }

    private static String hexPrefix(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02X", bytes[i] & 0xFF));
            if (i < Math.min(8, bytes.length) - 1) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }
}
