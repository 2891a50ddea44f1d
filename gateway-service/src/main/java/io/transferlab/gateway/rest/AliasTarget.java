package io.transferlab.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PUT /api/v1/models/{id}/aliases/{alias}}: {@code {"version": 3}}.
 *
 * @param version the version the alias names from now on. Bound as the JSON value itself because an {@code int}
 *        field would take {@code 2.7} as 2 and {@code "2"} as 2: a version is a JSON integer or the body is refused
 */
public record AliasTarget(
        @Schema(type = SchemaType.INTEGER, minimum = "1", required = true,
                description = "a published version of the model") JsonNode version) {

    /** The version when it is a positive JSON integer. */
    Optional<Integer> positiveVersion() {
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() < 1) {
            return Optional.empty();
        }
        return Optional.of(version.intValue());
    }
}
