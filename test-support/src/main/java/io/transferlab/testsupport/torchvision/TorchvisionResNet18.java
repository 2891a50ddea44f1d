package io.transferlab.testsupport.torchvision;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names and shapes of torchvision's {@code resnet18().state_dict()} (without the {@code num_batches_tracked}
 * counters), written out from torchvision's definition: convolutions without bias, BasicBlocks of two 3x3
 * convolutions, a 1x1 downsample in the first block of layers 2-4, {@code fc} 1000 x 512.
 */
public final class TorchvisionResNet18 {

    private TorchvisionResNet18() {
    }

    public static Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("conv1.weight", new long[] {64, 3, 7, 7});
        bn(s, "bn1", 64);
        int in = 64;
        int[] widths = {64, 128, 256, 512};
        for (int layer = 1; layer <= 4; layer++) {
            int w = widths[layer - 1];
            for (int b = 0; b < 2; b++) {
                String p = "layer" + layer + "." + b + ".";
                s.put(p + "conv1.weight", new long[] {w, b == 0 ? in : w, 3, 3});
                bn(s, p + "bn1", w);
                s.put(p + "conv2.weight", new long[] {w, w, 3, 3});
                bn(s, p + "bn2", w);
                if (b == 0 && layer > 1) {
                    s.put(p + "downsample.0.weight", new long[] {w, in, 1, 1});
                    bn(s, p + "downsample.1", w);
                }
            }
            in = w;
        }
        s.put("fc.weight", new long[] {1000, 512});
        s.put("fc.bias", new long[] {1000});
        return s;
    }

    private static void bn(Map<String, long[]> s, String name, int channels) {
        for (String k : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            s.put(name + "." + k, new long[] {channels});
        }
    }
}
