package io.transferlab.commons.problem;

import io.transferlab.contracts.validation.Violation;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds problem responses; the one place an error's status, title and type are decided. */
public final class Problems {

    static final String TYPE_BASE = "https://transferlab.io/problems/";

    private Problems() {
    }

    public static Response response(int status, String kind, String title, String detail) {
        return build(new Problem(TYPE_BASE + kind, title, status, detail, null, null));
    }

    public static Response invalid(String detail, List<Violation> violations) {
        return build(new Problem(TYPE_BASE + "invalid-request", "Invalid request", 400, detail, null, violations));
    }

    public static Response build(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
