package io.transferlab.chapter.protocol;

import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.data.LabeledImages;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the chapter's steps train on: its own data and weights (CIFAR-10, ImageNet ResNet-50/VGG16) when they
 * are installed, or the real data that can be had offline.
 */
public interface Protocol {

    String name();

    /** Paragraphs for the top of the report: which data and backbones, and why. */
    List<String> description();

    /** True when ImageNet weights are installed, so step 1 classifies the photo with ResNet-50. */
    boolean imagenetAvailable();

    /** A run that pre-trains the backbone the transfer steps reuse (offline protocol), if any. */
    Optional<Step> sourcePretraining();

    /** Step 2: the small CNN from scratch on the target training set. */
    Step fromScratch();

    /** Step 3: a frozen pretrained backbone under a dense head, trained with this optimizer. */
    Step transfer(String optimizer, String sourceRunId);

    /** Step 4: the base spec of the tuning grid, and the grid (dense units x dropout x batch size). */
    Step tuningBase(String sourceRunId);

    Map<String, List<Object>> grid();

    /** Further backbones the chapter compares (VGG16), if the protocol has them. */
    List<Step> extraBackbones(String sourceRunId);

    /**
     * Where transfer learning should show its worth: the same target with far fewer training images, from scratch
     * and on the frozen pretrained backbone. Empty when the main steps are already that small.
     */
    List<Step> smallDataComparison(String sourceRunId);

    /** Target test images, in the target's class order, for the sample grid and the classification demo. */
    LabeledImages targetSamples();

    /** The chapter's figure for a step, to print beside ours ("~77%"), when there is one. */
    Map<String, String> chapterFigures();

    /** A named training run of the workflow. */
    record Step(String key, String title, RunSpec spec) {
    }
}
