package io.transferlab.vision.train;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.model.Architecture;
import java.util.Locale;

/**
 * What a training run will hold in memory at its peak, estimated from the spec before anything is allocated, so
 * that a run that cannot fit fails with RESOURCE_LIMIT instead of getting the trainer killed by the kernel.
 * <pre>
 *   parameters   = backbone + head parameters x 4 bytes
 *   gradients    = trainable parameters x 4 bytes          (the whole network when a stage trains the backbone)
 *   optimizer    = trainable parameters x 4 bytes x slots  (adam 2, rmsprop 1, sgd 1 with momentum, else 0)
 *   activations  = batch x (activation floats per image at imageSize) x 4 bytes x (2 when the backbone trains);
 *                  a frozen backbone counts only its largest layer input + output per image
 *   data         = the data set's images as held (one byte per pixel and channel)
 *   workspace    = parameters x 4 bytes x 4              (measured, see below)
 *   total        = the sum + a fixed engine overhead (libtorch and its allocator, ~300 MB)
 * </pre>
 * Activation floats per image are counted layer by layer from the architecture (every convolution, batch-norm,
 * ReLU, pooling and residual-sum output of one forward pass: autograd keeps them for the backward pass), so they
 * grow with imageSize squared. Backward needs
 * about as much again in gradients of those outputs, hence the factor 2 when the backbone trains. A TorchScript
 * backbone (a file of unknown layers) counts its file size as parameters and no activations. The workspace term is
 * empirical: peak RSS exceeded the other terms by about four times the parameter bytes for ResNet-50 and VGG16
 * (oneDNN's reordered copies of the convolution weights, libtorch's cached blocks).
 * docs/trainer.md compares the estimate with measured peak RSS.
 *
 * @param parameters parameter count of backbone and head
 * @param trainable parameters that some stage updates
 * @param activationFloatsPerImage one image's layer outputs at the run's image size
 * @param batchSize the run's batch size
 * @param backboneTrains whether a stage trains the backbone (not frozen, or fine-tuned)
 * @param optimizerSlots floats the optimizer keeps per trainable parameter
 * @param dataBytes the data set held in memory
 */
public record MemoryEstimate(long parameters, long trainable, long activationFloatsPerImage, int batchSize,
        boolean backboneTrains, int optimizerSlots, long dataBytes) {

    /** libtorch's own footprint and allocator slack, measured as the RSS of a trainer with a tiny run. */
    public static final long ENGINE_OVERHEAD_BYTES = 300L << 20;

    public long parameterBytes() {
        return parameters * 4;
    }

    public long gradientBytes() {
        return trainable * 4;
    }

    public long optimizerBytes() {
        return trainable * 4L * optimizerSlots;
    }

    public long workspaceBytes() {
        return parameterBytes() * 4;
    }

    public long activationBytes() {
        return Math.multiplyExact(Math.multiplyExact(activationFloatsPerImage, 4L * batchSize),
                backboneTrains ? 2L : 1L);
    }

    public long totalBytes() {
        return Math.addExact(Math.addExact(parameterBytes() + gradientBytes() + optimizerBytes() + workspaceBytes(),
                activationBytes()), dataBytes + ENGINE_OVERHEAD_BYTES);
    }

    /** True when the total is over {@code budgetBytes}, including totals too large for a long. */
    public boolean exceeds(long budgetBytes) {
        try {
            return totalBytes() > budgetBytes;
        } catch (ArithmeticException overflow) {
            return true;
        }
    }

    /** The numbers, for a FAILED result's message. */
    public String describe() {
        return String.format(Locale.ROOT, "%s in all: parameters %s (%,d), gradients %s, optimizer state %s, "
                + "activations %s (batch %d x %,d floats per image%s), workspace %s, data %s, engine %s",
                mibOrMore(this::totalBytes), mib(parameterBytes()), parameters, mib(gradientBytes()),
                mib(optimizerBytes()), mibOrMore(this::activationBytes),
                batchSize, activationFloatsPerImage, backboneTrains ? " x 2 for the backward pass" : "",
                mib(workspaceBytes()), mib(dataBytes), mib(ENGINE_OVERHEAD_BYTES));
    }

    private static String mibOrMore(java.util.function.LongSupplier bytes) {
        try {
            return mib(bytes.getAsLong());
        } catch (ArithmeticException overflow) {
            return "more than 8 EiB";
        }
    }

    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    /**
     * The estimate for a resolved spec ({@code imageSize}, {@code batchSize} etc. set).
     *
     * @param architecture the backbone's layers, or null for a TorchScript file of {@code torchScriptBytes}
     * @param channels input channels of the images
     * @param classes classes of the head
     * @param dataBytes the data set as held in memory
     */
    public static MemoryEstimate of(RunSpec spec, Architecture architecture, long torchScriptBytes, int channels,
            int classes, long dataBytes) {
        int side = spec.imageSize();
        Layers net = architecture == null || architecture == Architecture.TORCHSCRIPT ? null
                : Layers.of(architecture, channels, side);
        long backbone = net == null ? torchScriptBytes / 4 : net.parameters;
        long features = net == null ? 2048 : "avg".equals(spec.pooling()) ? net.c : net.c * net.h * net.w;
        int units = spec.denseUnits() == null ? 0 : spec.denseUnits();
        long head = units > 0 ? features * units + units + (long) units * classes + classes
                : features * classes + classes;
        boolean backboneTrains = !Boolean.TRUE.equals(spec.freeze())
                || (spec.fineTuneEpochs() != null && spec.fineTuneEpochs() > 0);
        long trainable = backboneTrains ? backbone + head : head;
        // A frozen backbone runs without autograd: each layer's output is released as the next one is made
        // (Chain, Residual), so only the largest input + output pair is alive at once.
        long perImage = net == null ? 0 : backboneTrains ? net.activations : net.peakLive;
        long activations = perImage + (long) channels * side * side;
        return new MemoryEstimate(backbone + head, trainable, activations, spec.batchSize(), backboneTrains,
                slots(spec), dataBytes);
    }

    private static int slots(RunSpec spec) {
        return switch (spec.optimizer() == null ? "" : spec.optimizer()) {
            case "adam" -> 2;
            case "rmsprop" -> 1;
            default -> spec.momentum() != null && spec.momentum() > 0 ? 1 : 0;
        };
    }

    /** Walks an architecture's layers as Architecture builds them: output shape, parameters, activations. */
    static final class Layers {
        long c;
        long h;
        long w;
        long parameters;
        long activations;
        /** The largest input + output of one layer: what a forward pass without autograd holds at once. */
        long peakLive;
        private long last;

        private Layers(long c, long h, long w) {
            this.c = c;
            this.h = h;
            this.w = w;
            this.last = c * h * w;
        }

        static Layers of(Architecture architecture, int channels, int side) {
            Layers l = new Layers(channels, side, side);
            switch (architecture) {
                case SMALL_CNN -> l.conv(32, 3, 1, 0).relu().conv(32, 3, 1, 0).relu().pool(2, 2, 0);
                case VGG16 -> {
                    int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
                    for (int[] block : blocks) {
                        for (int filters : block) {
                            l.conv(filters, 3, 1, 1).relu();
                        }
                        l.pool(2, 2, 0);
                    }
                }
                case RESNET18 -> l.resNet(new int[] {2, 2, 2, 2}, false);
                case RESNET50 -> l.resNet(new int[] {3, 4, 6, 3}, true);
                default -> throw new IllegalArgumentException("no layers known for " + architecture);
            }
            return l;
        }

        private void resNet(int[] blocks, boolean bottleneck) {
            conv(64, 7, 2, 3).bn().relu().pool(3, 2, 1);
            int[] widths = {64, 128, 256, 512};
            for (int stage = 0; stage < blocks.length; stage++) {
                int width = widths[stage];
                int out = bottleneck ? width * 4 : width;
                for (int b = 0; b < blocks[stage]; b++) {
                    int stride = b == 0 && stage > 0 ? 2 : 1;
                    long inC = c;
                    long inH = h;
                    long inW = w;
                    if (bottleneck) {
                        conv(width, 1, 1, 0).bn().relu().conv(width, 3, stride, 1).bn().relu().conv(out, 1, 1, 0).bn();
                    } else {
                        conv(width, 3, stride, 1).bn().relu().conv(width, 3, 1, 1).bn();
                    }
                    boolean projection = bottleneck ? b == 0 : b == 0 && stage > 0;
                    if (projection) {
                        long outC = c;
                        long outH = h;
                        long outW = w;
                        c = inC;
                        h = inH;
                        w = inW;
                        conv(out, 1, stride, 0).bn();
                        c = outC;
                        h = outH;
                        w = outW;
                    }
                    output(); // the sum
                    relu();
                }
            }
        }

        private Layers conv(int filters, int kernel, int stride, int padding) {
            parameters += (long) kernel * kernel * c * filters + filters;
            c = filters;
            h = (h + 2L * padding - kernel) / stride + 1;
            w = (w + 2L * padding - kernel) / stride + 1;
            return output();
        }

        private Layers bn() {
            parameters += 4 * c; // gamma, beta, running mean and variance
            return output();
        }

        private Layers relu() {
            return output();
        }

        private Layers pool(int kernel, int stride, int padding) {
            h = (h + 2L * padding - kernel) / stride + 1;
            w = (w + 2L * padding - kernel) / stride + 1;
            return output();
        }

        private Layers output() {
            long size = c * Math.max(h, 0) * Math.max(w, 0);
            activations += size;
            peakLive = Math.max(peakLive, last + size);
            last = size;
            return this;
        }
    }
}
