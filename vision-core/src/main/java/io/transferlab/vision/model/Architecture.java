package io.transferlab.vision.model;

import ai.djl.nn.Block;
import java.util.Locale;

/**
 * Backbone architectures: the convolutional part of a network, without its classification top. The DJL-built
 * ones follow the Keras reference models (every convolution has a bias, batch norms count their moving
 * statistics) so their parameter counts match the figures the chapter quotes: ResNet-50 23,587,712,
 * VGG16 14,714,688. {@link #TORCHSCRIPT} is any TorchScript module (torchvision exports, the ImageNet weights).
 */
public enum Architecture {
    /** The chapter's from-scratch model without its head: conv 32 3x3 relu, conv 32 3x3 relu, max-pool 2. */
    SMALL_CNN("small-cnn", 6),
    RESNET18("resnet18", 8),
    RESNET50("resnet50", 8),
    VGG16("vgg16", 32),
    TORCHSCRIPT("torchscript", 1);

    private final String id;
    private final int minImageSize;

    Architecture(String id, int minImageSize) {
        this.id = id;
        this.minImageSize = minImageSize;
    }

    public String id() {
        return id;
    }

    /** Smallest input side whose feature map is not empty. */
    public int minImageSize() {
        return minImageSize;
    }

    public boolean builtHere() {
        return this != TORCHSCRIPT;
    }

    public static Architecture parse(String id) {
        for (Architecture a : values()) {
            if (a.id.equals(id.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture " + id);
    }

    /** A new, uninitialized block of this architecture. */
    public Block newBlock() {
        return switch (this) {
            case SMALL_CNN -> smallCnn();
            case RESNET18 -> resNet18();
            case RESNET50 -> resNet50();
            case VGG16 -> vgg16();
            case TORCHSCRIPT -> throw new IllegalStateException("a TorchScript backbone is loaded, not built");
        };
    }

    private static Block smallCnn() {
        return new Chain()
                .add("conv1", Layers.conv(32, 3, 1, 0))
                .add("relu1", Layers.relu())
                .add("conv2", Layers.conv(32, 3, 1, 0))
                .add("relu2", Layers.relu())
                .add("pool", Layers.maxPool(2, 2, 0));
    }

    private static Chain stem() {
        return new Chain()
                .add("conv", Layers.conv(64, 7, 2, 3))
                .add("bn", Layers.batchNorm())
                .add("relu", Layers.relu())
                .add("pool", Layers.maxPool(3, 2, 1));
    }

    private static Block resNet50() {
        Chain net = new Chain().add("stem", stem());
        int[] blocks = {3, 4, 6, 3};
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < blocks.length; stage++) {
            int width = widths[stage];
            int out = width * 4;
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                // the stride sits on the 3x3 convolution (ResNet v1.5, as torchvision); counts are unaffected
                Chain main = new Chain()
                        .add("a", Layers.convBn(width, 1, 1, 0, true))
                        .add("b", Layers.convBn(width, 3, stride, 1, true))
                        .add("c", Layers.convBn(out, 1, 1, 0, false));
                Chain projection = b == 0 ? Layers.convBn(out, 1, stride, 0, false) : null;
                net.add("stage" + (stage + 1) + "_" + b, new Residual(main, projection));
            }
        }
        return net;
    }

    private static Block resNet18() {
        Chain net = new Chain().add("stem", stem());
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < widths.length; stage++) {
            int width = widths[stage];
            for (int b = 0; b < 2; b++) {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                Chain main = new Chain()
                        .add("a", Layers.convBn(width, 3, stride, 1, true))
                        .add("b", Layers.convBn(width, 3, 1, 1, false));
                Chain projection = b == 0 && stage > 0 ? Layers.convBn(width, 1, stride, 0, false) : null;
                net.add("stage" + (stage + 1) + "_" + b, new Residual(main, projection));
            }
        }
        return net;
    }

    private static Block vgg16() {
        Chain net = new Chain();
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        for (int b = 0; b < blocks.length; b++) {
            for (int c = 0; c < blocks[b].length; c++) {
                net.add("block" + (b + 1) + "_conv" + (c + 1), Layers.conv(blocks[b][c], 3, 1, 1));
                net.add("block" + (b + 1) + "_relu" + (c + 1), Layers.relu());
            }
            net.add("block" + (b + 1) + "_pool", Layers.maxPool(2, 2, 0));
        }
        return net;
    }
}
