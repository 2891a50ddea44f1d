package io.transferlab.inference.rest.oip;

import java.util.List;

/** {@code GET /v2} answer. */
public record ServerMetadata(String name, String version, List<String> extensions) {
}
