package io.transferlab.contracts.image;

/**
 * The limits every service applies to an image from its header alone, before a pixel is decoded: each side at
 * most {@code maxSide}, and at most {@code maxPixels} pixels in all (a 8192x8192 PNG of 200 KB decodes to 200 MB).
 * The gateway and the inference service read the same settings ({@code TRANSFERLAB_MAX_IMAGE_SIDE},
 * {@code TRANSFERLAB_MAX_IMAGE_PIXELS}), so what the gateway lets through the decoder accepts.
 */
public record ImageLimits(int maxSide, long maxPixels) {

    public static final int DEFAULT_MAX_SIDE = 8192;
    /** 40 megapixels: a large camera photo; 120 MB as RGB bytes. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /**
     * Peak bytes per pixel while one image is decoded: the decoder's own raster (up to 4 bytes a pixel for images
     * with alpha) plus the RGB copy handed on (3 bytes).
     */
    public static final int DECODE_BYTES_PER_PIXEL = 7;

    public static final ImageLimits DEFAULTS = new ImageLimits(DEFAULT_MAX_SIDE, DEFAULT_MAX_PIXELS);

    public ImageLimits {
        if (maxSide < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("image limits must be positive: maxSide " + maxSide + ", maxPixels "
                    + maxPixels);
        }
    }

    /** Why an image of this size is refused, or {@code null} when it is within the limits. */
    public String violation(int width, int height) {
        if (width < 1 || height < 1) {
            return "the image has no pixels (" + width + "x" + height + ")";
        }
        if (width > maxSide || height > maxSide) {
            return "the image is " + width + "x" + height + " px; at most " + maxSide + " px a side are accepted";
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            return "the image is " + width + "x" + height + " px (" + pixels + " pixels); at most " + maxPixels
                    + " pixels are accepted (TRANSFERLAB_MAX_IMAGE_PIXELS)";
        }
        return null;
    }

    /** Memory the decoder needs at its peak for one image of this size. */
    public static long decodeBytes(int width, int height) {
        return (long) width * height * DECODE_BYTES_PER_PIXEL;
    }
}
