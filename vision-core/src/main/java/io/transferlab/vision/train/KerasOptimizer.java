package io.transferlab.vision.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import io.transferlab.vision.model.Backbone;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, Adam and SGD with momentum as Keras defines them (rho 0.9, betas 0.9/0.999, epsilon 1e-7), with
 * parameter groups that each have their own learning rate (a fine-tuned backbone learns slower than its head).
 * It exists because DJL's PyTorch engine has no RMSprop, the chapter's optimizer.
 * Updates run in place with autograd off, fused ({@link FusedSteps}); each parameter's gradient is zeroed by its
 * update (libtorch accumulates gradients otherwise). Owns its state arrays: close it after training.
 */
public final class KerasOptimizer implements AutoCloseable {

    private static final float RHO = 0.9f;
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-7f;

    private record Group(List<Parameter> parameters, float learningRate) {
    }

    private final OptimizerKind kind;
    private final float momentum;
    private final List<Group> groups = new ArrayList<>();
    private final Map<String, NDArray[]> state = new HashMap<>();
    private int steps;

    public KerasOptimizer(OptimizerKind kind, double momentum) {
        this.kind = kind;
        this.momentum = (float) momentum;
    }

    /**
     * Adds parameters to be trained with {@code learningRate}; parameters that require no gradient are skipped, and
     * so are batch norms' running statistics whatever their flag says (the forward pass maintains them).
     */
    public KerasOptimizer group(List<Parameter> parameters, double learningRate) {
        List<Parameter> trainable = parameters.stream()
                .filter(p -> p.requiresGradient() && !Backbone.isRunningStatistic(p)).toList();
        if (!trainable.isEmpty()) {
            groups.add(new Group(trainable, (float) learningRate));
        }
        return this;
    }

    public int parameterCount() {
        return groups.stream().mapToInt(g -> g.parameters().size()).sum();
    }

    /** One update of every parameter from its accumulated gradient: one fused call per group. */
    public void step() {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            steps++;
            for (Group group : groups) {
                update(group);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private void update(Group group) {
        int n = group.parameters().size();
        List<NDArray> weights = new ArrayList<>(n);
        List<NDArray> gradients = new ArrayList<>(n);
        List<NDArray> first = new ArrayList<>(n);
        List<NDArray> second = new ArrayList<>(n);
        int stateCount = switch (kind) {
            case ADAM -> 2;
            case RMSPROP -> 1;
            case SGD -> momentum == 0f ? 0 : 1;
        };
        try {
            for (Parameter p : group.parameters()) {
                NDArray w = p.getArray();
                weights.add(w);
                gradients.add(w.getGradient());
                NDArray[] s = state(p.getId(), w, stateCount);
                if (stateCount > 0) {
                    first.add(s[0]);
                }
                if (stateCount > 1) {
                    second.add(s[1]);
                }
            }
            float lr = group.learningRate();
            switch (kind) {
                case SGD -> {
                    if (momentum == 0f) {
                        FusedSteps.sgd(weights, gradients, lr);
                    } else {
                        FusedSteps.sgdMomentum(weights, gradients, first, lr, momentum);
                    }
                }
                case RMSPROP -> FusedSteps.rmsprop(weights, gradients, first, lr, RHO, EPSILON);
                case ADAM -> {
                    float lrT = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, steps)) / (1 - Math.pow(BETA1, steps)));
                    FusedSteps.adam(weights, gradients, first, second, lrT, BETA1, BETA2, EPSILON);
                }
                default -> throw new IllegalStateException(kind.name());
            }
        } finally {
            // each getGradient() is a new handle on the gradient tensor: release the handles, not the gradients
            gradients.forEach(NDArray::close);
        }
    }

    private NDArray[] state(String id, NDArray w, int count) {
        return state.computeIfAbsent(id, k -> {
            NDArray[] arrays = new NDArray[count];
            for (int i = 0; i < count; i++) {
                arrays[i] = w.zerosLike();
            }
            return arrays;
        });
    }

    @Override
    public void close() {
        for (NDArray[] arrays : state.values()) {
            for (NDArray a : arrays) {
                a.close();
            }
        }
        state.clear();
    }
}
