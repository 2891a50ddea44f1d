package io.transferlab.contracts.classify;

/**
 * Where the time went, in milliseconds.
 *
 * @param queueMs waiting for a batch slot
 * @param decodeMs decoding and preprocessing the image
 * @param inferenceMs the forward pass of the batch this request rode in
 * @param totalMs from consumption to the result being sent
 */
public record ClassifyTimings(double queueMs, double decodeMs, double inferenceMs, double totalMs) {
}
