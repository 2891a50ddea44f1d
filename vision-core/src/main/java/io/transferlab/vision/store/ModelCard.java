package io.transferlab.vision.store;

import io.transferlab.contracts.train.FinalMetrics;
import io.transferlab.contracts.train.RunSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the store knows about one version of a model, saved as {@code model-card.json} next to its weights.
 * Self-contained: the network can be rebuilt from it without the model it was transferred from.
 *
 * @param spec the resolved spec of the run that trained it
 * @param imageSize the input side every image is resized to
 * @param preprocessing {@code unit}, {@code caffe}, {@code torch} or {@code none}
 * @param architecture the backbone's block: {@code small-cnn}, {@code resnet18}, {@code resnet50}, {@code vgg16}
 *        (built here) or {@code torchscript} (a TorchScript module stored in the weights file)
 * @param lineage where the backbone's weights came from: {@code imagenet:resnet50}, {@code run:<id>},
 *        {@code torchscript:<file>} or {@code random}
 * @param libraryVersions DJL, PyTorch, Java and TransferLab versions that wrote it
 * @param parameterCount every weight, bias and batch-norm statistic (Keras' "total params")
 * @param weightsFile the weights file name in the version folder
 * @param weightsSha256 checksum of that file
 * @param owner the name of the API key whose run published this version; the owner of a model's latest version
 *        owns the model id, and only it (or an admin's run) may publish the next version. Null on cards written
 *        before owners were recorded (schema version 1), and for runs nobody submitted through the gateway
 */
public record ModelCard(
        int schemaVersion,
        String modelId,
        int version,
        String runId,
        RunSpec spec,
        List<String> classNames,
        int imageSize,
        String preprocessing,
        String architecture,
        FinalMetrics metrics,
        String lineage,
        Instant createdAt,
        Map<String, String> libraryVersions,
        long parameterCount,
        String weightsFile,
        String weightsSha256,
        String owner) {

    /** 2: {@code owner}. Cards of version 1 read with no owner. */
    public static final int SCHEMA_VERSION = 2;
    public static final String FILE_NAME = "model-card.json";

    public ModelCard {
        classNames = classNames == null ? null : List.copyOf(classNames);
        libraryVersions = libraryVersions == null ? null : Map.copyOf(libraryVersions);
    }

    /** A card without an owner: the shape of schema version 1. */
    public ModelCard(int schemaVersion, String modelId, int version, String runId, RunSpec spec,
            List<String> classNames, int imageSize, String preprocessing, String architecture, FinalMetrics metrics,
            String lineage, Instant createdAt, Map<String, String> libraryVersions, long parameterCount,
            String weightsFile, String weightsSha256) {
        this(schemaVersion, modelId, version, runId, spec, classNames, imageSize, preprocessing, architecture,
                metrics, lineage, createdAt, libraryVersions, parameterCount, weightsFile, weightsSha256, null);
    }

    public ModelCard withVersion(int newVersion, String newWeightsSha256) {
        return new ModelCard(schemaVersion, modelId, newVersion, runId, spec, classNames, imageSize, preprocessing,
                architecture, metrics, lineage, createdAt, libraryVersions, parameterCount, weightsFile,
                newWeightsSha256, owner);
    }
}
