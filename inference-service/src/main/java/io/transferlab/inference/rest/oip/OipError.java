package io.transferlab.inference.rest.oip;

/**
 * Every error of the {@code /v2} endpoints: the protocol's {@code {"error": "..."}}, plus the TransferLab error
 * code (INVALID_IMAGE, UNKNOWN_MODEL, BUSY, ...) for programs.
 */
public record OipError(String error, String code) {
}
