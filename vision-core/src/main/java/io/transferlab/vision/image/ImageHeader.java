package io.transferlab.vision.image;

import io.transferlab.contracts.image.ImageFormat;
import io.transferlab.contracts.image.ImageLimits;

/** What an image's header says, read without decoding a pixel. */
public record ImageHeader(ImageFormat format, int width, int height) {

    /** Memory decoding it takes at its peak (see {@link ImageLimits#decodeBytes}). */
    public long decodeBytes() {
        return ImageLimits.decodeBytes(width, height);
    }
}
