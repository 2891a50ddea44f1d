package io.transferlab.contracts.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The two stages of transfer learning: train the head (or the whole net from scratch), then fine-tune. */
public enum TrainStage {
    @JsonProperty("train")
    TRAIN,
    @JsonProperty("fine-tune")
    FINE_TUNE
}
