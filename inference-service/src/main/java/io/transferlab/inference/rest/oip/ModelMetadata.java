package io.transferlab.inference.rest.oip;

import java.util.List;
import java.util.Map;

/** {@code GET /v2/models/{name}} answer. */
public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
        List<TensorMetadata> outputs, Map<String, Object> parameters) {
}
