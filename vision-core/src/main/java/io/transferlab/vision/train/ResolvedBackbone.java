package io.transferlab.vision.train;

import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.Backbone;
import io.transferlab.vision.model.Network;

/**
 * A backbone ready to carry a head, with where its weights came from.
 *
 * @param lineage {@code random}, {@code imagenet:<arch>}, {@code torchscript:<file>} or {@code run:<id>}
 * @param fingerprint identifies the exact weights (a feature cache key part)
 * @param source the stored network a {@code run:} backbone was taken from; it owns the backbone's memory and is
 *        closed with this
 */
record ResolvedBackbone(Backbone backbone, Architecture architecture, String lineage, String fingerprint,
        boolean pretrained, Network source) implements AutoCloseable {

    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
    }
}
