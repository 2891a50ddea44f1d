package io.transferlab.vision.train;

import java.util.SplittableRandom;

/** Independent random streams of one run, each derived from the run's seed and a purpose. */
final class Seeds {

    private Seeds() {
    }

    static long derive(long seed, String purpose) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * purpose.hashCode())).nextLong();
    }

    static long derive(long seed, String purpose, int index) {
        return derive(derive(seed, purpose), "#" + index);
    }
}
