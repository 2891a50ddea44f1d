package io.transferlab.commons.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.transferlab.commons.problem.Problems;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 401 and 403 as problem+json for every service that checks API keys (the gateway, inference, the tuner). */
public class AuthProblemMappers {

    private static final String CHALLENGE = "Bearer realm=\"transferlab\"";

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return unauthorized(e.getMessage() == null ? "the API key is not valid" : e.getMessage());
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthorized("this call needs an API key: send 'Authorization: Bearer <key>'");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problems.response(403, "forbidden", "Forbidden",
                "the API key does not have the role this call needs (gateway: classify for classifications; train "
                        + "for trainings, tunings, cancels and data set uploads; inference: classify; tuner: read)");
    }

    /**
     * The answer to a security exception, for resources whose own catch-all mapper would otherwise take it
     * (a class-local {@code @ServerExceptionMapper} beats these global ones).
     */
    public static Response problem(RuntimeException e) {
        AuthProblemMappers mappers = new AuthProblemMappers();
        if (e instanceof AuthenticationFailedException failed) {
            return mappers.unauthenticated(failed);
        }
        if (e instanceof ForbiddenException forbidden) {
            return mappers.forbidden(forbidden);
        }
        return mappers.unauthenticated(new UnauthorizedException());
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(Problems.response(401, "unauthorized", "Unauthorized", detail))
                .header("WWW-Authenticate", CHALLENGE).build();
    }
}
