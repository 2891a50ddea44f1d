package io.transferlab.inference;

import io.transferlab.testsupport.TestDataDir;
import io.transferlab.vision.data.DatasetCatalog;
import io.transferlab.vision.data.LabeledImages;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Real MNIST test digits (images the model never trained on), encoded as PNG files the way a client sends them. */
final class Digits {

    record Digit(byte[] png, int label, DecodedImage pixels) {
    }

    private static List<Digit> cache;

    private Digits() {
    }

    /** The first {@code count} digits of the MNIST test split. */
    static synchronized List<Digit> test(int count) {
        if (cache == null || cache.size() < count) {
            LabeledImages test = new DatasetCatalog(TestDataDir.require("mnist"), new ImageDecoder(64)).load("mnist", null).test();
            List<Digit> digits = new ArrayList<>();
            for (int i = 0; i < Math.max(count, 300); i++) {
                DecodedImage image = test.image(i);
                digits.add(new Digit(png(image), test.label(i), image));
            }
            cache = digits;
        }
        return cache.subList(0, count);
    }

    static byte[] png(DecodedImage image) {
        BufferedImage gray = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        System.arraycopy(image.pixels(), 0, target, 0, target.length);
        return encode(gray);
    }

    /** A gray PNG of the given size (for the size bound). */
    static byte[] blankPng(int width, int height) {
        return encode(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY));
    }

    private static byte[] encode(BufferedImage image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
