package io.transferlab.contracts.validation;

import io.transferlab.contracts.train.RunSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules of a {@link RunSpec}, checked on the spec with its defaults applied. */
public final class RunSpecValidator {

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private RunSpecValidator() {
    }

    public static void validate(RunSpec raw, Violations v) {
        if (raw == null) {
            v.add("", "is required");
            return;
        }
        if (!v.require(raw.dataset(), "dataset")) {
            return;
        }
        RunSpec s = raw.withDefaults();
        String dataset = s.dataset();
        if (dataset.startsWith(RunSpec.DATASET_PREFIX)) {
            v.id(dataset.substring(RunSpec.DATASET_PREFIX.length()), "dataset");
        } else if (!RunSpec.BUILTIN_DATASETS.contains(dataset)) {
            v.add("dataset", "must be one of " + String.join(", ", RunSpec.BUILTIN_DATASETS)
                    + " or dataset:<id> for an uploaded data set");
        }
        validateClasses(s.classes(), v);
        v.between(s.trainSize(), "trainSize", 1, 10_000_000);
        v.between(s.testSize(), "testSize", 0, 10_000_000);
        v.oneOf(s.sampling(), "sampling", RunSpec.SAMPLINGS);
        v.between(s.imageSize(), "imageSize", 8, 1024);
        v.oneOf(s.preprocessing(), "preprocessing", RunSpec.PREPROCESSINGS);
        validateBackbone(s, v);
        v.oneOf(s.pooling(), "pooling", RunSpec.POOLINGS);
        v.between(s.denseUnits(), "denseUnits", 0, 65_536);
        v.inClosedOpen(s.dropout(), "dropout", 0, 1);
        v.oneOf(s.optimizer(), "optimizer", RunSpec.OPTIMIZERS);
        v.inOpenClosed(s.learningRate(), "learningRate", 0, 10);
        v.inClosedOpen(s.momentum(), "momentum", 0, 1);
        v.between(s.epochs(), "epochs", 1, 1000);
        v.between(s.batchSize(), "batchSize", 1, 4096);
        v.inClosed(s.validationSplit(), "validationSplit", 0, 0.9);
        v.inClosed(s.augmentShift(), "augmentShift", 0, 0.5);
        v.between(s.earlyStoppingPatience(), "earlyStoppingPatience", 0, 1000);
        v.between(s.fineTuneEpochs(), "fineTuneEpochs", 0, 1000);
        v.inOpenClosed(s.fineTuneLearningRate(), "fineTuneLearningRate", 0, 10);
        if (s.fineTuneEpochs() != null && s.fineTuneEpochs() > 0 && !Boolean.TRUE.equals(s.freeze())) {
            v.add("fineTuneEpochs", "needs freeze=true: fine-tuning is the second stage, after the head has been "
                    + "trained on the frozen backbone");
        }
        v.oneOf(s.batchNorm(), "batchNorm", RunSpec.BATCH_NORM_MODES);
        if (RunSpec.BATCH_NORM_FROZEN.equals(s.batchNorm()) && !s.pretrained()) {
            v.add("batchNorm", "frozen keeps pretrained running statistics; a backbone trained from scratch (weights "
                    + "random) has none and trains its batch norms: use train");
        }
        if (s.trainSize() != null && s.validationSplit() != null && s.trainSize() > 0
                && Math.floor(s.trainSize() * (1 - s.validationSplit())) < 1) {
            v.add("validationSplit", "leaves no training images out of trainSize " + s.trainSize());
        }
    }

    private static void validateClasses(List<Integer> classes, Violations v) {
        if (classes == null) {
            return;
        }
        if (classes.size() < 2) {
            v.add("classes", "must name at least 2 classes");
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < classes.size(); i++) {
            Integer c = classes.get(i);
            if (c == null || c < 0 || c > 100_000) {
                v.add("classes[" + i + "]", "must be a class index >= 0");
            } else if (!seen.add(c)) {
                v.add("classes[" + i + "]", "repeats class " + c);
            }
        }
    }

    private static void validateBackbone(RunSpec s, Violations v) {
        String backbone = s.backbone();
        if (s.backboneIsRun()) {
            v.id(backbone.substring(RunSpec.RUN_PREFIX.length()), "backbone");
        } else if (s.backboneIsTorchScript()) {
            String file = backbone.substring(RunSpec.TORCHSCRIPT_PREFIX.length());
            if (!FILE_NAME.matcher(file).matches()) {
                v.add("backbone", "torchscript:<file> must name a file in the weights directory "
                        + "(letters, digits, '.', '_', '-'; no paths)");
            }
        } else if (!RunSpec.ARCHITECTURES.contains(backbone)) {
            v.add("backbone", "must be one of " + String.join(", ", RunSpec.ARCHITECTURES)
                    + ", torchscript:<file> or run:<id>");
        }
        if (s.weights() != null) {
            v.oneOf(s.weights(), "weights", RunSpec.WEIGHTS);
            if (RunSpec.SMALL_CNN.equals(backbone) && "imagenet".equals(s.weights())) {
                v.add("weights", "small-cnn has no imagenet weights: use random");
            }
        }
    }
}
