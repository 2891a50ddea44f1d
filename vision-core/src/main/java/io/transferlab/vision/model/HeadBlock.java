package io.transferlab.vision.model;

import java.util.ArrayList;
import java.util.List;

/** The block a {@link HeadSpec} describes. Its dropout masks are reseeded per run by the trainer. */
public final class HeadBlock extends Chain {

    private final HeadSpec spec;
    private final List<SeededDropout> dropouts = new ArrayList<>();

    HeadBlock(HeadSpec spec) {
        this.spec = spec;
        add("pool", spec.pooling() == Pooling.FLATTEN ? Layers.flatten() : Layers.globalAveragePool());
        if (spec.denseUnits() > 0) {
            add("dropout1", dropout(spec.dropout()));
            add("dense", Layers.dense(spec.denseUnits()));
            add("relu", Layers.relu());
        }
        add("dropout2", dropout(spec.dropout()));
        add("output", Layers.dense(spec.numClasses()));
    }

    private SeededDropout dropout(double rate) {
        SeededDropout d = new SeededDropout((float) rate);
        dropouts.add(d);
        return d;
    }

    public HeadSpec spec() {
        return spec;
    }

    /** Makes the dropout masks of the coming batches a function of {@code seed}. */
    public void reseed(long seed) {
        for (int i = 0; i < dropouts.size(); i++) {
            dropouts.get(i).reseed(seed * 31 + i);
        }
    }
}
