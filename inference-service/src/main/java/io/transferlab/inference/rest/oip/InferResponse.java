package io.transferlab.inference.rest.oip;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code POST /v2/models/{name}/infer} answer (Open Inference Protocol v2, JSON). */
public record InferResponse(
        @JsonProperty("model_name") String modelName,
        @JsonProperty("model_version") String modelVersion,
        String id,
        Map<String, Object> parameters,
        List<OutputTensor> outputs) {
}
