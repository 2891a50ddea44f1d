package io.transferlab.vision.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Subsets of a data set: a class subset (relabelled), the first N, or a seeded stratified sample. */
public final class Sampling {

    private Sampling() {
    }

    /**
     * Keeps the images of the given classes, in their order, relabelled 0..k-1 in the order the classes are
     * listed (so {@code [5, 6]} makes class 5 label 0 and class 6 label 1).
     */
    public static LabeledImages classes(LabeledImages images, List<Integer> classes) {
        int[] newLabel = new int[images.numClasses()];
        Arrays.fill(newLabel, -1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            int c = classes.get(i);
            if (c < 0 || c >= images.numClasses()) {
                throw new IllegalArgumentException("class " + c + " does not exist: the data set has classes 0.."
                        + (images.numClasses() - 1));
            }
            newLabel[c] = i;
            names.add(images.classNames().get(c));
        }
        int[] keep = new int[images.size()];
        int n = 0;
        for (int i = 0; i < images.size(); i++) {
            if (newLabel[images.label(i)] >= 0) {
                keep[n++] = i;
            }
        }
        LabeledImages selected = images.select(Arrays.copyOf(keep, n));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = newLabel[selected.label(i)];
        }
        return selected.withLabels(labels, names);
    }

    /** The first {@code count} images (all when {@code count} is null or larger). */
    public static LabeledImages first(LabeledImages images, Integer count) {
        if (count == null || count >= images.size()) {
            return images;
        }
        return images.head(count);
    }

    /**
     * {@code count} images whose class proportions follow the whole set's (largest remainder rounding), chosen at
     * random with {@code seed} within each class and kept in their original order.
     */
    public static LabeledImages stratified(LabeledImages images, Integer count, long seed) {
        if (count == null || count >= images.size()) {
            return images;
        }
        int[] counts = images.classCounts();
        int[] quota = quotas(counts, images.size(), count);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < images.size(); i++) {
            byClass.get(images.label(i)).add(i);
        }
        Random random = new Random(seed);
        int[] chosen = new int[count];
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            List<Integer> members = byClass.get(c);
            Collections.shuffle(members, random);
            for (int k = 0; k < quota[c]; k++) {
                chosen[n++] = members.get(k);
            }
        }
        int[] sorted = Arrays.copyOf(chosen, n);
        Arrays.sort(sorted);
        return images.select(sorted);
    }

    static int[] quotas(int[] counts, int total, int count) {
        int[] quota = new int[counts.length];
        double[] remainder = new double[counts.length];
        int assigned = 0;
        for (int c = 0; c < counts.length; c++) {
            double exact = (double) count * counts[c] / total;
            quota[c] = (int) Math.floor(exact);
            remainder[c] = exact - quota[c];
            assigned += quota[c];
        }
        while (assigned < count) {
            int best = -1;
            for (int c = 0; c < counts.length; c++) {
                if (quota[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            quota[best]++;
            remainder[best] = -1;
            assigned++;
        }
        return quota;
    }

    /** Applies {@code first} or {@code stratified} by name. */
    public static LabeledImages sample(LabeledImages images, String sampling, Integer count, long seed) {
        return switch (sampling == null ? "first" : sampling) {
            case "first" -> first(images, count);
            case "stratified" -> stratified(images, count, seed);
            default -> throw new IllegalArgumentException("sampling must be first or stratified, not " + sampling);
        };
    }
}
