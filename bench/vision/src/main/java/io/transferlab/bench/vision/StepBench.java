package io.transferlab.bench.vision;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.transferlab.vision.Engines;
import io.transferlab.vision.eval.Losses;
import io.transferlab.vision.model.Architecture;
import io.transferlab.vision.model.Backbone;
import io.transferlab.vision.model.Backbones;
import io.transferlab.vision.model.HeadSpec;
import io.transferlab.vision.model.Network;
import io.transferlab.vision.model.NetworkSpec;
import io.transferlab.vision.model.Pooling;
import io.transferlab.vision.train.KerasOptimizer;
import io.transferlab.vision.train.OptimizerKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One training step of a network built here, split into its phases (forward, backward, optimizer), timed over many
 * steps: the vision-core half of {@code bench/protocol/step_torch.py}, which times the same step in PyTorch. Run both
 * alternately (bench/protocol/steps) to see where a gradient step spends its time in either engine.
 *
 * <pre>bench/vision/run StepBench [--arch resnet18] [--size 32] [--batch 16] [--steps 60] [--warmup 10]</pre>
 */
public final class StepBench {

    private StepBench() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv);
        Architecture arch = Architecture.parse(args.get("arch", "resnet18"));
        int size = args.getInt("size", 32);
        int batch = args.getInt("batch", 16);
        int steps = args.getInt("steps", 60);
        int warmup = args.getInt("warmup", 10);
        boolean trainBatchNorm = !args.flag("bn-eval");
        Engines.pytorch();
        NetworkSpec spec = NetworkSpec.builder().architecture(arch).imageSize(size)
                .head(HeadSpec.builder().pooling(Pooling.AVG).denseUnits(0).dropout(0.0).numClasses(5).build())
                .build();
        try (Model model = Network.newModel("step-bench", ai.djl.Device.cpu());
                Network network = Network.assemble(model, spec, new Backbone(
                        Backbones.random(arch, size, 1, model.getNDManager()), arch, !trainBatchNorm), 2);
                KerasOptimizer optimizer = new KerasOptimizer(OptimizerKind.ADAM, 0)) {
            network.backbone().freeze(false);
            List<Parameter> parameters = new ArrayList<>(network.block().getParameters().values());
            optimizer.group(parameters, 1e-3);
            NDManager manager = network.manager();
            ParameterStore store = new ParameterStore(manager, false);
            Random random = new Random(3);
            float[] pixels = new float[batch * 3 * size * size];
            int[] labels = new int[batch];
            long[] forward = new long[steps];
            long[] backward = new long[steps];
            long[] update = new long[steps];
            for (int s = -warmup; s < steps; s++) {
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = random.nextFloat();
                }
                for (int i = 0; i < batch; i++) {
                    labels[i] = random.nextInt(5);
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(pixels, new Shape(batch, 3, size, size));
                    NDArray y = scope.create(labels);
                    long t0 = System.nanoTime();
                    JniUtils.setGradMode(true);
                    NDArray logits = network.block().forward(store, new NDList(x), true).singletonOrThrow();
                    NDArray loss = Losses.crossEntropy(logits, y).mean();
                    long t1 = System.nanoTime();
                    JniUtils.backward((PtNDArray) loss, (PtNDArray) scope.ones(loss.getShape()), false, false);
                    JniUtils.setGradMode(false);
                    long t2 = System.nanoTime();
                    optimizer.step();
                    loss.getFloat();
                    long t3 = System.nanoTime();
                    if (s >= 0) {
                        forward[s] = t1 - t0;
                        backward[s] = t2 - t1;
                        update[s] = t3 - t2;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "| vision-core | %s | %d px | %d | %d | %s | %s | %s | %s |%n",
                    arch.id(), size, batch, optimizer.parameterCount(),
                    ms(forward), ms(backward), ms(update), ms(sum(forward, backward, update)));
        }
    }

    private static long[] sum(long[]... parts) {
        long[] total = new long[parts[0].length];
        for (long[] p : parts) {
            for (int i = 0; i < p.length; i++) {
                total[i] += p[i];
            }
        }
        return total;
    }

    /** Median and fastest of the steps, in milliseconds. */
    private static String ms(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.1f (min %.1f) ms", sorted[sorted.length / 2] / 1e6, sorted[0] / 1e6);
    }
}
