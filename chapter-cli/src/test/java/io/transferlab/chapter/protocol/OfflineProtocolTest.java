package io.transferlab.chapter.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.chapter.protocol.Protocol.Step;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.validation.MessageValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineProtocolTest {

    private static final String SOURCE = "run-source-1";

    private static List<Step> allSteps(Protocol p) {
        List<Step> steps = new ArrayList<>();
        p.sourcePretraining().ifPresent(steps::add);
        steps.add(p.fromScratch());
        steps.add(p.transfer("rmsprop", SOURCE));
        steps.add(p.tuningBase(SOURCE));
        steps.addAll(p.extraBackbones(SOURCE));
        steps.addAll(p.smallDataComparison(SOURCE));
        return steps;
    }

    @Test
    void theSmallCnnProtocolIsTheChaptersOwn() {
        OfflineProtocol p = new OfflineProtocol(Path.of("data"), 2000, 2000, 5);
        assertThat(p.sourcePretraining())
                .hasValueSatisfying(s -> assertThat(s.spec().backbone()).isEqualTo("small-cnn"));
        assertThat(p.extraBackbones(SOURCE)).isEmpty();
        assertThat(p.smallDataComparison(SOURCE)).extracting(Step::key).containsExactly("scratch-200", "transfer-200");
    }

    @Test
    void withResNet18TheSourceIsAResNetAndTheComparisonAddsScratchAndBothFineTuningModes() {
        OfflineProtocol p = new OfflineProtocol(Path.of("data"), 2000, 2000, 5, "resnet18");

        RunSpec source = p.sourcePretraining().orElseThrow().spec();
        assertThat(source.backbone()).isEqualTo("resnet18");
        assertThat(source.freeze()).isFalse();
        assertThat(source.imageSize()).isEqualTo(32);
        assertThat(p.extraBackbones(SOURCE)).extracting(Step::key)
                .containsExactly("resnet18-scratch", "finetuned-bn-frozen", "finetuned-bn-train");
        assertThat(p.smallDataComparison(SOURCE)).extracting(Step::key).containsExactly("scratch-200",
                "transfer-200", "resnet18-scratch-200", "finetuned-bn-frozen-200", "finetuned-bn-train-200");
        List<Step> tuned = p.smallDataComparison(SOURCE).subList(3, 5);
        assertThat(tuned).extracting(s -> s.spec().batchNorm())
                .containsExactly(RunSpec.BATCH_NORM_FROZEN, RunSpec.BATCH_NORM_TRAIN);
        assertThat(tuned).allSatisfy(s -> {
            assertThat(s.spec().backbone()).isEqualTo("run:" + SOURCE);
            assertThat(s.spec().trainSize()).isEqualTo(200);
            assertThat(s.spec().fineTuneEpochs()).isPositive();
        });
        // every step the source backbone serves sees 32 px images, as the source did
        assertThat(allSteps(p)).filteredOn(s -> s.spec().backboneIsRun())
                .allSatisfy(s -> assertThat(s.spec().imageSize()).isEqualTo(32));
    }

    @Test
    void everyStepOfEitherProtocolIsAValidSpec() {
        for (Protocol p : List.of(new OfflineProtocol(Path.of("data"), 2000, 2000, 5),
                new OfflineProtocol(Path.of("data"), 2000, 2000, 5, "resnet18"),
                new BookProtocol(Path.of("data"), 2000, 2000, 5))) {
            assertThat(allSteps(p)).allSatisfy(s -> assertThat(MessageValidator.validate(s.spec()))
                    .as("%s: %s", p.name(), s.key()).isEmpty());
        }
    }

    @Test
    void theBookProtocolFineTunesResNet50WithBatchNormFrozen() {
        Step tuned = new BookProtocol(Path.of("data"), 2000, 2000, 5).extraBackbones(null).stream()
                .filter(s -> s.key().equals("resnet50-finetuned")).findFirst().orElseThrow();
        assertThat(tuned.spec().backbone()).isEqualTo("resnet50");
        assertThat(tuned.spec().weights()).isEqualTo("imagenet");
        assertThat(tuned.spec().batchNorm()).isEqualTo(RunSpec.BATCH_NORM_FROZEN);
        assertThat(tuned.spec().fineTuneEpochs()).isPositive();
    }

    @Test
    void anUnknownBackboneIsRefused() {
        assertThatThrownBy(() -> new OfflineProtocol(Path.of("data"), 2000, 2000, 5, "vgg16"))
                .hasMessageContaining("--backbone must be small-cnn or resnet18");
    }
}
