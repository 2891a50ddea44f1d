package io.transferlab.inference.rest.oip;

import java.util.List;

/** A tensor in model metadata; -1 marks a dimension of variable size. */
public record TensorMetadata(String name, String datatype, List<Long> shape) {
}
