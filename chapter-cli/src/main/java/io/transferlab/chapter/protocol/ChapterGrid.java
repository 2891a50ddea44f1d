package io.transferlab.chapter.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The chapter's tuning grid and its published figures, shared by both protocols. */
final class ChapterGrid {

    /** dense units x dropout x batch size: 8 runs, first flag varying slowest (as tfruns orders them). */
    static final Map<String, List<Object>> GRID;

    /** The chapter's test accuracies (CIFAR-10 [1:2000], ResNet-50 at 224 px), to print beside ours. */
    static final Map<String, String> CHAPTER_FIGURES = Map.of(
            "scratch", "~23% (overfits)",
            "transfer-rmsprop", "~77%",
            "transfer-adam", "~77% (rmsprop vs adam)",
            "grid", "~80% (best of 8)",
            "vgg16", "~76%");

    static {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("denseUnits", List.of(256, 512));
        grid.put("dropout", List.of(0.1, 0.3));
        grid.put("batchSize", List.of(10, 30));
        GRID = java.util.Collections.unmodifiableMap(grid);
    }

    private ChapterGrid() {
    }
}
