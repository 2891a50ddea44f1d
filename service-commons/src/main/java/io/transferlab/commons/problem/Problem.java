package io.transferlab.commons.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.transferlab.contracts.validation.Violation;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response.
 *
 * @param type a URI naming the kind of problem ({@code about:blank} when the status says it all)
 * @param violations for invalid requests: every broken rule with its field path
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
        List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
