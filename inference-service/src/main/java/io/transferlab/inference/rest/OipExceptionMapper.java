package io.transferlab.inference.rest;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers {@link OipException} as {@code {"error": ...}} (more specific than the problem+json catch-all). */
public class OipExceptionMapper {

    @ServerExceptionMapper
    public Response map(OipException e) {
        return OipErrors.response(e);
    }
}
