package io.transferlab.inference.service;

import io.transferlab.vision.image.DecodedImage;

/** An image as a request carries it: encoded bytes (JPEG, PNG) to decode, or pixels a client already decoded. */
public sealed interface ImageInput permits ImageInput.Encoded, ImageInput.Pixels {

    static ImageInput encoded(byte[] bytes) {
        return new Encoded(bytes);
    }

    static ImageInput pixels(DecodedImage image) {
        return new Pixels(image);
    }

    record Encoded(byte[] bytes) implements ImageInput {
    }

    record Pixels(DecodedImage image) implements ImageInput {
    }
}
