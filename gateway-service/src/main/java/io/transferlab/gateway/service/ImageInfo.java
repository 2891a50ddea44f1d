package io.transferlab.gateway.service;

import io.transferlab.contracts.image.ImageFormat;

/** What the header of an image says: its format (from the magic number) and its size in pixels. */
public record ImageInfo(ImageFormat format, int width, int height) {
}
