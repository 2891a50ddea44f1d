package io.transferlab.inference.rest.oip;

import io.transferlab.contracts.ErrorCode;

/**
 * Every error of the {@code /v2} endpoints, sent as {@code application/problem+json}: the protocol's
 * {@code {"error": "..."}} (what OIP clients read), the TransferLab error code (INVALID_IMAGE, UNKNOWN_MODEL, BUSY,
 * ...) for programs, and the RFC 9457 members every other TransferLab error has.
 */
public record OipError(String type, String title, int status, String detail, String error, String code) {

    public static OipError of(int status, ErrorCode code, String message) {
        String kind = code.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        String title = switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Client Error";
        };
        return new OipError("https://transferlab.io/problems/" + kind, title, status, message, message, code.name());
    }
}
