package io.transferlab.vision.data;

import io.transferlab.vision.image.DecodedImage;
import java.util.SplittableRandom;

/**
 * Random horizontal flips (probability 0.5) and shifts by up to a fraction of the side in each direction, the
 * uncovered border filled with the nearest edge pixel (Keras' {@code fill_mode="nearest"}). Applied to the
 * images at their own size, before resizing. Seeded per run; not thread-safe (one per training loop).
 */
public final class Augmenter {

    private final boolean flip;
    private final double shift;
    private SplittableRandom random;

    public Augmenter(boolean flip, double shift, long seed) {
        this.flip = flip;
        this.shift = shift;
        this.random = new SplittableRandom(seed);
    }

    public boolean active() {
        return flip || shift > 0;
    }

    public void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    public DecodedImage apply(DecodedImage image) {
        int w = image.width();
        int h = image.height();
        boolean mirror = flip && random.nextBoolean();
        int maxDx = (int) Math.round(shift * w);
        int maxDy = (int) Math.round(shift * h);
        int dx = maxDx > 0 ? random.nextInt(-maxDx, maxDx + 1) : 0;
        int dy = maxDy > 0 ? random.nextInt(-maxDy, maxDy + 1) : 0;
        if (!mirror && dx == 0 && dy == 0) {
            return image;
        }
        int c = image.channels();
        byte[] in = image.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            int sy = clamp(y - dy, h);
            for (int x = 0; x < w; x++) {
                int sx = clamp(x - dx, w);
                if (mirror) {
                    sx = w - 1 - sx;
                }
                System.arraycopy(in, (sy * w + sx) * c, out, (y * w + x) * c, c);
            }
        }
        return DecodedImage.of(w, h, c, out);
    }

    private static int clamp(int v, int size) {
        return v < 0 ? 0 : Math.min(v, size - 1);
    }
}
