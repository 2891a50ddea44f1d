package io.transferlab.gateway.rest;

import io.transferlab.commons.problem.Problem;
import io.transferlab.commons.problem.Problems;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.gateway.service.BrokerAwayException;
import io.transferlab.gateway.service.ReplicaBusyException;
import io.transferlab.gateway.service.ClassificationFailedException;
import io.transferlab.gateway.service.ClassificationTimeoutException;
import io.transferlab.gateway.service.ImageRejectedException;
import io.transferlab.gateway.service.InvalidDatasetException;
import io.transferlab.gateway.service.ModelOfAnotherKeyException;
import io.transferlab.gateway.service.NotOwnerException;
import io.transferlab.gateway.service.PayloadTooLargeException;
import io.transferlab.gateway.service.UnknownResourceException;
import io.transferlab.gateway.service.UpstreamException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The gateway's own failures as problem+json, next to the shared mappers of service-commons (401 and 403 there:
 * AuthProblemMappers).
 */
public class GatewayProblemMappers {

    @ServerExceptionMapper
    public Response image(ImageRejectedException e) {
        return switch (e.reason()) {
            case UNSUPPORTED_MEDIA_TYPE -> Problems.response(415, "unsupported-media-type", "Unsupported Media Type",
                    e.getMessage() + "; send a JPEG or PNG image");
            case CORRUPT_HEADER -> Problems.response(400, "invalid-image", "Invalid image", e.getMessage());
            case DIMENSIONS_OUT_OF_BOUNDS -> Problems.response(422, "image-dimensions", "Image dimensions out of bounds",
                    e.getMessage());
        };
    }

    @ServerExceptionMapper
    public Response tooLarge(PayloadTooLargeException e) {
        return Problems.response(413, "payload-too-large", "Payload Too Large", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknown(UnknownResourceException e) {
        return Problems.response(404, "not-found", "Not Found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response modelOfAnotherKey(ModelOfAnotherKeyException e) {
        return Problems.response(409, "model-owned", "Conflict", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notOwner(NotOwnerException e) {
        return Problems.response(403, "not-owner", "Forbidden", e.getMessage());
    }

    @ServerExceptionMapper
    public Response upstream(UpstreamException e) {
        String title = switch (e.status()) {
            case 502 -> "Bad Gateway";
            case 504 -> "Gateway Timeout";
            default -> "Service Unavailable";
        };
        return Problems.response(e.status(), "upstream", title, e.getMessage());
    }

    @ServerExceptionMapper
    public Response busy(ReplicaBusyException e) {
        return Response.fromResponse(Problems.response(503, "busy", "Service Unavailable", e.getMessage()))
                .header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response brokerAway(BrokerAwayException e) {
        return Response.fromResponse(Problems.response(503, "broker-unavailable", "Service Unavailable",
                e.getMessage())).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response invalidDataset(InvalidDatasetException e) {
        return Problems.response(400, "invalid-dataset", "Invalid data set", e.getMessage());
    }

    @ServerExceptionMapper
    public Response timeout(ClassificationTimeoutException e) {
        return Response.fromResponse(Problems.build(new Problem("https://transferlab.io/problems/upstream-timeout",
                "Gateway Timeout", 504, e.getMessage(), "/api/v1/classifications/" + e.requestId(), null)))
                .header("Location", "/api/v1/classifications/" + e.requestId()).build();
    }

    /** The inference service's named errors, each to the status that says what the caller can do about it. */
    @ServerExceptionMapper
    public Response failed(ClassificationFailedException e) {
        ErrorInfo error = e.error();
        int status = switch (error.code()) {
            case INVALID_IMAGE -> 422;
            case INVALID_SPEC -> 400;
            case UNKNOWN_MODEL, UNKNOWN_DATASET -> 404;
            case BUSY, OUT_OF_MEMORY, MISSING_WEIGHTS -> 503;
            case INTERNAL, CANCELLED -> 502;
            case RESOURCE_LIMIT, TRAINER_CRASHED, MODEL_OWNED -> 502; // training codes: inference never answers them
        };
        String kind = error.code().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        Response.StatusType info = Response.Status.fromStatusCode(status);
        String title = info != null ? info.getReasonPhrase() : status == 422 ? "Unprocessable Content" : "Error";
        return Problems.build(new Problem("https://transferlab.io/problems/" + kind, title, status,
                "the inference service answered " + error.code() + ": " + error.message(),
                "/api/v1/classifications/" + e.requestId(), null));
    }
}
