package io.transferlab.inference.rest.oip;

import java.util.List;

/** One output tensor of an inference response; {@code data} is flattened in row-major order. */
public record OutputTensor(String name, String datatype, List<Long> shape, List<?> data) {
}
