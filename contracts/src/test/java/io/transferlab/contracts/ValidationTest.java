package io.transferlab.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.train.ControlAction;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.tune.ParamSpace;
import io.transferlab.contracts.tune.RandomSearch;
import io.transferlab.contracts.tune.TuneControl;
import io.transferlab.contracts.tune.TuneRequest;
import io.transferlab.contracts.validation.MessageValidator;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.contracts.validation.Violations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationTest {

    private static List<String> messages(List<Violation> violations) {
        return violations.stream().map(Violation::toString).toList();
    }

    private static TrainRequest request(RunSpec spec) {
        return new TrainRequest(1, "run-1", null, null, spec, null, null);
    }

    @Test
    void acceptsTheChaptersSpecs() {
        assertThat(MessageValidator.validate(request(Samples.spec()))).isEmpty();
        assertThat(MessageValidator.validate(request(RunSpec.builder().dataset("mnist").build()))).isEmpty();
        assertThat(MessageValidator.validate(request(RunSpec.builder().dataset("dataset:flowers")
                .backbone("run:pretrain-1").fineTuneEpochs(2).build()))).isEmpty();
    }

    @Test
    void reportsEveryViolationAtOnceWithFieldPaths() {
        RunSpec bad = RunSpec.builder().dataset("mnist").epochs(0).optimizer("adagrad").dropout(1.0)
                .validationSplit(0.95).batchSize(-1).backbone("inception").build();
        List<String> found = messages(MessageValidator.validate(request(bad)));
        assertThat(found).contains(
                "spec.epochs must be between 1 and 1000",
                "spec.optimizer must be one of rmsprop, adam, sgd",
                "spec.dropout must be in [0, 1)",
                "spec.validationSplit must be in [0, 0.9]",
                "spec.batchSize must be between 1 and 4096");
        assertThat(found).anyMatch(m -> m.startsWith("spec.backbone must be one of small-cnn"));
        assertThat(found).hasSize(6);
    }

    @Test
    void keepsAHundredViolationsAndCountsTheRest() {
        List<Integer> repeated = java.util.Collections.nCopies(300_000, 0);
        List<Violation> found = MessageValidator.validate(request(RunSpec.builder().dataset("mnist")
                .classes(repeated).build()));
        assertThat(found).hasSize(Violations.MAX_KEPT + 1);
        assertThat(found.get(0).toString()).isEqualTo("spec.classes[1] repeats class 0");
        assertThat(found.get(Violations.MAX_KEPT).toString()).isEqualTo(" and 299899 more violation(s) not listed");
    }

    @Test
    void requiresDatasetAndRunIdAndRejectsUnsafeIds() {
        List<String> found = messages(MessageValidator.validate(
                new TrainRequest(1, "../etc", null, null, RunSpec.builder().build(), null, null)));
        assertThat(found).contains("spec.dataset is required");
        assertThat(found).anyMatch(m -> m.startsWith("runId must be 1-64 letters"));
    }

    @Test
    void rejectsCrossFieldContradictions() {
        RunSpec spec = RunSpec.builder().dataset("mnist").weights("imagenet").fineTuneEpochs(3).freeze(false)
                .build();
        List<String> found = messages(MessageValidator.validate(request(spec)));
        assertThat(found).contains("spec.weights small-cnn has no imagenet weights: use random");
        assertThat(found).anyMatch(m -> m.startsWith("spec.fineTuneEpochs needs freeze=true"));
    }

    @Test
    void batchNormDefaultsToFrozenForPretrainedBackbonesAndTrainFromScratch() {
        assertThat(RunSpec.builder().dataset("mnist").backbone("run:src").build().withDefaults().batchNorm())
                .isEqualTo("frozen");
        assertThat(RunSpec.builder().dataset("mnist").backbone("resnet50").build().withDefaults().batchNorm())
                .isEqualTo("frozen");
        assertThat(RunSpec.builder().dataset("mnist").backbone("resnet18").weights("random").build().withDefaults()
                .batchNorm()).isEqualTo("train");
        assertThat(MessageValidator.validate(request(RunSpec.builder().dataset("mnist").backbone("run:src")
                .fineTuneEpochs(2).batchNorm("train").build()))).isEmpty();
    }

    @Test
    void rejectsUnknownBatchNormModesAndFrozenBatchNormFromScratch() {
        List<String> found = messages(MessageValidator.validate(request(RunSpec.builder().dataset("mnist")
                .backbone("run:src").batchNorm("moving").build())));
        assertThat(found).containsExactly("spec.batchNorm must be one of frozen, train");
        found = messages(MessageValidator.validate(request(RunSpec.builder().dataset("mnist").backbone("resnet18")
                .weights("random").batchNorm("frozen").build())));
        assertThat(found).singleElement().asString().startsWith("spec.batchNorm frozen keeps pretrained running");
    }

    @Test
    void rejectsNewerSchemaVersion() {
        List<String> found = messages(MessageValidator.validate(
                new TrainRequest(SchemaVersion.CURRENT + 1, "run-1", null, null, Samples.spec(), null, null)));
        assertThat(found).singleElement().asString()
                .startsWith("schemaVersion must be between 1 and " + SchemaVersion.CURRENT);
    }

    @Test
    void readsBothSchemaVersionsWithAndWithoutAnOwner() {
        assertThat(MessageValidator.validate(new TrainRequest(1, "run-1", null, null, Samples.spec(), null, null)))
                .isEmpty();
        assertThat(MessageValidator.validate(new TrainRequest(2, "run-1", null, "digits", Samples.spec(), null, null,
                "alice", true))).isEmpty();
    }

    @Test
    void anOwnerIsAKeyNameOfSaneLength() {
        String tooLong = "k".repeat(Requester.MAX_KEY_NAME_LENGTH + 1);
        assertThat(messages(MessageValidator.validate(new TrainRequest(2, "run-1", null, null, Samples.spec(), null,
                null, tooLong, null)))).containsExactly("owner must be 1-128 characters (an API key's name)");
        assertThat(messages(MessageValidator.validate(new TrainRequest(2, "run-1", null, null, Samples.spec(), null,
                null, " ", null)))).containsExactly("owner must be 1-128 characters (an API key's name)");
        assertThat(messages(MessageValidator.validate(new TuneRequest(2, "study-1", null, Samples.spec(),
                Samples.chapterGrid(), null, 2, null, null, null, "ali\nce", false))))
                .containsExactly("owner must not contain control characters");
        assertThat(MessageValidator.validate(new TuneRequest(2, "study-1", null, Samples.spec(),
                Samples.chapterGrid(), null, 2, null, null, null, "ci pipeline (eu-1)", false))).isEmpty();
    }

    @Test
    void aControlsRequesterIsAKeyNameOfSaneLength() {
        String tooLong = "k".repeat(Requester.MAX_KEY_NAME_LENGTH + 1);
        assertThat(messages(MessageValidator.validate(new TrainControl(2, "run-1", ControlAction.CANCEL, null, null,
                tooLong, null)))).containsExactly("requester must be 1-128 characters (an API key's name)");
        assertThat(messages(MessageValidator.validate(new TrainControl(2, "run-1", ControlAction.CANCEL, null, null,
                "", false)))).containsExactly("requester must be 1-128 characters (an API key's name)");
        assertThat(messages(MessageValidator.validate(new TuneControl(2, "study-1", ControlAction.CANCEL, null, null,
                "ali\tce", true)))).containsExactly("requester must not contain control characters");
        assertThat(MessageValidator.validate(new TuneControl(2, "study-1", ControlAction.CANCEL, null, null,
                "ci pipeline (eu-1)", true))).isEmpty();
        assertThat(MessageValidator.validate(new TrainControl(1, "run-1", ControlAction.CANCEL, null, null)))
                .as("version 1: no requester").isEmpty();
    }

    @Test
    void aControlThatNamesNoKeyIsFromAnUnknownSenderWhateverItsAdminFlag() {
        assertThat(new TrainControl(2, "r", ControlAction.CANCEL, null, null, null, true).requestedBy())
                .isEqualTo(Requester.UNKNOWN);
        assertThat(new TuneControl(2, "s", ControlAction.CANCEL, null, null, "bob", null).requestedBy())
                .isEqualTo(new Requester("bob", false));
        assertThat(new TrainControl(2, "r", ControlAction.CANCEL, null, null, "root", true).requestedBy()
                .mayActOn("bob")).isTrue();
        assertThat(Requester.UNKNOWN.describe()).startsWith("an unknown sender");
        assertThat(new Requester("alice", false).describe()).isEqualTo("key 'alice'");
    }

    @Test
    void aRequesterMayActOnWhatNobodyOwnsWhatItOwnsAndAsAdminOnAnything() {
        Requester alice = new Requester("alice", false);
        assertThat(alice.mayActOn(null)).as("recorded before owners existed").isTrue();
        assertThat(alice.mayActOn("alice")).isTrue();
        assertThat(alice.mayActOn("bob")).isFalse();
        assertThat(new Requester("root", true).mayActOn("bob")).isTrue();
        assertThat(Requester.UNKNOWN.mayActOn("bob")).as("a request without owner").isFalse();
        assertThat(Requester.UNKNOWN.mayActOn(null)).isTrue();
        assertThat(new TrainRequest(2, "r", null, null, null, null, null, "bob", null).requester())
                .isEqualTo(new Requester("bob", false));
        assertThat(Requester.modelOwnedByAnotherKey("digits")).startsWith("model 'digits' belongs to another key")
                .doesNotContain("bob");
    }

    @Test
    void rejectsTorchscriptPathsOutsideTheWeightsDirectory() {
        RunSpec spec = RunSpec.builder().dataset("mnist").backbone("torchscript:../../etc/passwd").build();
        assertThat(messages(MessageValidator.validate(request(spec))))
                .anyMatch(m -> m.startsWith("spec.backbone torchscript:<file> must name a file"));
    }

    @Test
    void rejectsEmptyGridAndUnknownFlagsAndBadValues() {
        TuneRequest empty = new TuneRequest(1, "s1", null, Samples.spec(), Map.of(), null, 2, null, null, null);
        assertThat(messages(MessageValidator.validate(empty)))
                .containsExactly("grid must not be empty: give at least one flag and its values");

        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("dense_units", List.of(256));
        grid.put("dropout", List.of(0.1, 1.5));
        grid.put("batchSize", List.of(10, "thirty"));
        grid.put("optimizer", List.of());
        TuneRequest bad = new TuneRequest(1, "s1", null, Samples.spec(), grid, null, 0, null, null, null);
        List<String> found = messages(MessageValidator.validate(bad));
        assertThat(found).contains(
                "maxParallel must be between 1 and 64",
                "grid.dropout[1] must be in [0, 1)",
                "grid.batchSize[1] has value thirty of the wrong type for flag batchSize",
                "grid.optimizer must list at least one value");
        assertThat(found).anyMatch(m -> m.startsWith("grid.dense_units is not a flag; flags are"));
    }

    @Test
    void rejectsGridAndRandomTogetherAndOversizedGrids() {
        RandomSearch random = new RandomSearch(3, 1L, Map.of("dropout", new ParamSpace(null, 0.0, 0.5, false, false)));
        TuneRequest both = new TuneRequest(1, "s1", null, Samples.spec(), Samples.chapterGrid(), random, 2, null,
                null, null);
        assertThat(messages(MessageValidator.validate(both)))
                .containsExactly("grid and random cannot both be given: choose a grid or a random search");

        Map<String, List<Object>> huge = new LinkedHashMap<>();
        huge.put("seed", java.util.stream.LongStream.range(0, 40).boxed().map(Object.class::cast).toList());
        huge.put("epochs", java.util.stream.IntStream.range(1, 41).boxed().map(Object.class::cast).toList());
        TuneRequest tooBig = new TuneRequest(1, "s1", null, Samples.spec(), huge, null, 2, null, null, null);
        assertThat(messages(MessageValidator.validate(tooBig)))
                .containsExactly("grid makes 1600 trials; at most 1000 are allowed");
    }

    @Test
    void checksRandomSearchRanges() {
        Map<String, ParamSpace> space = new LinkedHashMap<>();
        space.put("learningRate", new ParamSpace(null, 0.0, 0.1, true, false));
        space.put("dropout", new ParamSpace(null, 0.5, 0.2, false, false));
        space.put("epochs", new ParamSpace(List.of(1, 2000), null, null, null, null));
        TuneRequest r = new TuneRequest(1, "s1", null, Samples.spec(), null, new RandomSearch(0, null, space), 1,
                null, null, null);
        assertThat(messages(MessageValidator.validate(r))).contains(
                "random.trials must be between 1 and 1000",
                "random.space.learningRate.min must be > 0 for a log-uniform range",
                "random.space.dropout needs min < max",
                "random.space.epochs.values[1] must be between 1 and 1000");
    }

    @Test
    void checksClassifyRequests() {
        ClassifyRequest r = new ClassifyRequest(1, "req 1", null, 0, new byte[0], null, null);
        List<String> found = messages(MessageValidator.validate(r));
        assertThat(found).contains("modelId is required", "topK must be between 1 and 1000",
                "image is required (base64 image bytes)");
        assertThat(found).anyMatch(m -> m.startsWith("requestId must be"));
    }

    @Test
    void checksAPinnedVersion() {
        byte[] image = {1};
        assertThat(MessageValidator.validate(new ClassifyRequest(2, "req-1", "digits", 5, image, null, null, 3)))
                .isEmpty();
        assertThat(MessageValidator.validate(new ClassifyRequest(1, "req-1", "digits", 5, image, null, null)))
                .as("a version 1 request has no pin").isEmpty();
        assertThat(messages(MessageValidator.validate(new ClassifyRequest(2, "req-1", "digits", 5, image, null,
                null, 0)))).containsExactly("modelVersion must be between 1 and 2147483647");
    }

    @Test
    void checksAliasChangesOfAnyWellFormedName() {
        java.time.Instant now = java.time.Instant.now();
        assertThat(MessageValidator.validate(ModelAliasChanged.of("digits", "production", 3, "ci", now))).isEmpty();
        assertThat(MessageValidator.validate(ModelAliasChanged.of("digits", "production", null, "ci", now)))
                .as("cleared").isEmpty();
        assertThat(MessageValidator.validate(ModelAliasChanged.of("digits", "canary-2", 1, "ci", now)))
                .as("the contract takes any well-formed name; the API decides which it admits").isEmpty();
        List<String> found = messages(MessageValidator.validate(
                new ModelAliasChanged(3, "a b", "Prod", 0, " ", null)));
        assertThat(found).containsExactlyInAnyOrder(
                "schemaVersion must be between 1 and 2 (this service reads schema versions up to 2)",
                "modelId must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
                "alias must be 1-32 lower-case letters, digits or '-', starting with a letter",
                "version must be between 1 and 2147483647",
                "changedBy must be 1-128 characters",
                "changedAt is required");
    }
}
