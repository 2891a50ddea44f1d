package io.transferlab.vision.model;

/**
 * The shape of a classification network: a backbone architecture at an input side, and a head. Weights are
 * not part of the spec: they come from a seed, a TorchScript file or a stored model.
 */
public record NetworkSpec(Architecture architecture, int imageSize, HeadSpec head) {

    public NetworkSpec {
        if (architecture == null || head == null) {
            throw new IllegalArgumentException("architecture and head are required");
        }
        if (imageSize < architecture.minImageSize()) {
            throw new IllegalArgumentException(architecture.id() + " needs images of at least "
                    + architecture.minImageSize() + " px, not " + imageSize);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Architecture architecture;
        private int imageSize;
        private HeadSpec head;

        public Builder architecture(Architecture v) { architecture = v; return this; }
        public Builder imageSize(int v) { imageSize = v; return this; }
        public Builder head(HeadSpec v) { head = v; return this; }

        public NetworkSpec build() {
            return new NetworkSpec(architecture, imageSize, head);
        }
    }
}
