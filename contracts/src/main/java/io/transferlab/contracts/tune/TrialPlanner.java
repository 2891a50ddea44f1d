package io.transferlab.contracts.tune;

import io.transferlab.contracts.train.RunSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a study's search space into its trials: the cartesian product of a grid (first flag varies slowest,
 * like tfruns) or a seeded random sample. Deterministic: the same request always gives the same plan.
 */
public final class TrialPlanner {

    private TrialPlanner() {
    }

    public static List<Trial> plan(TuneRequest request) {
        if (request.grid() != null && !request.grid().isEmpty()) {
            return grid(request.baseSpec(), request.grid());
        }
        if (request.random() != null) {
            return random(request.baseSpec(), request.random());
        }
        return List.of();
    }

    /** How many trials a grid makes, without building them (saturates at Long.MAX_VALUE). */
    public static long gridSize(Map<String, List<Object>> grid) {
        long n = 1;
        for (List<Object> values : grid.values()) {
            int k = values == null ? 0 : values.size();
            if (k == 0) {
                return 0;
            }
            n = n > Long.MAX_VALUE / k ? Long.MAX_VALUE : n * k;
        }
        return n;
    }

    public static List<Trial> grid(RunSpec base, Map<String, List<Object>> grid) {
        List<String> names = new ArrayList<>(grid.keySet());
        List<Map<String, Object>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (String name : names) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : combos) {
                for (Object value : grid.get(name)) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(name, value);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<Trial> trials = new ArrayList<>(combos.size());
        for (Map<String, Object> flags : combos) {
            trials.add(new Trial(trials.size(), flags, Flags.apply(base, flags).withDefaults()));
        }
        return trials;
    }

    public static List<Trial> random(RunSpec base, RandomSearch search) {
        long seed = search.seed() == null ? 42L : search.seed();
        SplittableRandom rng = new SplittableRandom(seed);
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < search.trials(); i++) {
            Map<String, Object> flags = new LinkedHashMap<>();
            for (Map.Entry<String, ParamSpace> e : search.space().entrySet()) {
                flags.put(e.getKey(), draw(e.getValue(), rng));
            }
            trials.add(new Trial(i, flags, Flags.apply(base, flags).withDefaults()));
        }
        return trials;
    }

    static Object draw(ParamSpace p, SplittableRandom rng) {
        if (p.values() != null && !p.values().isEmpty()) {
            return p.values().get(rng.nextInt(p.values().size()));
        }
        double u = rng.nextDouble();
        double value = Boolean.TRUE.equals(p.log())
                ? Math.exp(Math.log(p.min()) + u * (Math.log(p.max()) - Math.log(p.min())))
                : p.min() + u * (p.max() - p.min());
        if (Boolean.TRUE.equals(p.integer())) {
            return Math.min(Math.round(value), (long) Math.floor(p.max()));
        }
        return value;
    }
}
