package io.transferlab.vision.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.transferlab.vision.Engines;
import io.transferlab.vision.model.TorchScriptArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The optimizers' element-wise updates of a whole parameter group, as one call into a small TorchScript module
 * that updates every weight, its state and its gradient in place with libtorch's fused operations
 * ({@code addcmul_}, {@code addcdiv_}).
 *
 * <p>Why: DJL's NDArray has no fused operations and every non-in-place operation allocates a tensor, so an RMSprop
 * step written with it reads and writes each weight about 24 times. For the chapter's flatten head (25.7 M weights
 * at 256 units) the optimizer, not the network, then bounds the speed of training on cached features. The module
 * does the same arithmetic in about 14 passes. One call per group rather than per parameter (82 calls for a
 * ResNet-18) so that the number of JNI and interpreter crossings does not grow with the network; measured, that
 * gained nothing visible, since libtorch's element-wise kernels take the time (bench/protocol/steps). It has no
 * parameters and works for tensors on any device.
 *
 * <p>The module is written (without Python) and loaded once per process, on a base manager that lives as long as
 * the engine; each call uses its own sub-manager for the hyper-parameters.
 */
final class FusedSteps {

    private static final int RMSPROP = 0;
    private static final int ADAM = 1;
    private static final int SGD = 2;
    private static final int SGD_MOMENTUM = 3;

    private static final Object LOCK = new Object();
    private static volatile PtSymbolBlock module;
    private static NDManager moduleManager;

    private FusedSteps() {
    }

    /**
     * Keras RMSprop on each weight {@code w} of a group, with its gradient {@code g} and mean square {@code ms}
     * (aligned lists): {@code ms = rho ms + (1 - rho) g^2; w -= lr g / (sqrt(ms) + eps)}; then {@code g = 0}.
     */
    static void rmsprop(List<NDArray> w, List<NDArray> g, List<NDArray> meanSquare, float lr, float rho, float eps) {
        run(w, g, meanSquare, g, RMSPROP, lr, rho, eps, 0f);
    }

    /**
     * Keras Adam with the bias correction folded into {@code lrT}: {@code m = b1 m + (1 - b1) g;
     * v = b2 v + (1 - b2) g^2; w -= lrT m / (sqrt(v) + eps)}; then {@code g = 0}.
     */
    static void adam(List<NDArray> w, List<NDArray> g, List<NDArray> m, List<NDArray> v, float lrT, float beta1,
            float beta2, float eps) {
        run(w, g, m, v, ADAM, lrT, beta1, beta2, eps);
    }

    /** SGD: {@code w -= lr g}; then {@code g = 0}. */
    static void sgd(List<NDArray> w, List<NDArray> g, float lr) {
        run(w, g, g, g, SGD, lr, 0f, 0f, 0f);
    }

    /** Keras SGD with momentum: {@code velocity = momentum velocity - lr g; w += velocity}; then {@code g = 0}. */
    static void sgdMomentum(List<NDArray> w, List<NDArray> g, List<NDArray> velocity, float lr, float momentum) {
        run(w, g, velocity, g, SGD_MOMENTUM, lr, momentum, 0f, 0f);
    }

    private static void run(List<NDArray> w, List<NDArray> g, List<NDArray> s1, List<NDArray> s2, int kind, float a,
            float b, float c, float d) {
        if (g.size() != w.size() || s1.size() != w.size() || s2.size() != w.size()) {
            throw new IllegalArgumentException("weights, gradients and state must be aligned lists");
        }
        PtSymbolBlock block = module();
        try (NDManager scope = moduleManager.newSubManager()) {
            NDArray hyper = scope.create(new float[] {kind, a, b, c, d});
            IValue[] args = {list(w), list(g), list(s1), list(s2), IValue.from((PtNDArray) hyper)};
            try {
                IValueUtils.forward(block, args).close();
            } finally {
                for (IValue arg : args) {
                    arg.close();
                }
            }
        }
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(PtNDArray.class::cast).toArray(PtNDArray[]::new));
    }

    private static PtSymbolBlock module() {
        PtSymbolBlock m = module;
        if (m != null) {
            return m;
        }
        synchronized (LOCK) {
            if (module == null) {
                Engines.pytorch();
                try {
                    Path file = Files.createTempFile("transferlab-fused-steps", ".pt");
                    try {
                        archive().write(file);
                        NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                        PtSymbolBlock loaded = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0],
                                new String[0], false);
                        moduleManager = manager;
                        module = loaded;
                    } finally {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the fused optimizer module: " + e.getMessage(), e);
                }
            }
            return module;
        }
    }

    /** The module: forward(ws, gs, s1s, s2s, hyper) with hyper = [kind, a, b, c, d]; the lists are aligned. */
    static TorchScriptArchive archive() {
        return new TorchScriptArchive("FusedSteps")
                .inputs("ws: List[Tensor]", "gs: List[Tensor]", "s1s: List[Tensor]", "s2s: List[Tensor]", "hyper")
                .line("kind = int(hyper[0])")
                .line("a = float(hyper[1])")
                .line("b = float(hyper[2])")
                .line("c = float(hyper[3])")
                .line("d = float(hyper[4])")
                .line("for i in range(len(ws)):")
                .line("  w = ws[i]")
                .line("  g = gs[i]")
                .line("  s1 = s1s[i]")
                .line("  s2 = s2s[i]")
                .line("  if kind == " + RMSPROP + ":")
                .line("    s1.mul_(b).addcmul_(g, g, value=1.0 - b)")
                .line("    w.addcdiv_(g, torch.sqrt(s1).add_(c), value=-a)")
                .line("  elif kind == " + ADAM + ":")
                .line("    s1.mul_(b).add_(g, alpha=1.0 - b)")
                .line("    s2.mul_(c).addcmul_(g, g, value=1.0 - c)")
                .line("    w.addcdiv_(s1, torch.sqrt(s2).add_(d), value=-a)")
                .line("  elif kind == " + SGD + ":")
                .line("    w.add_(g, alpha=-a)")
                .line("  else:")
                .line("    s1.mul_(b).add_(g, alpha=-a)")
                .line("    w.add_(s1)")
                .line("  g.zero_()")
                .line("return hyper");
    }
}
