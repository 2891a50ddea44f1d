package io.transferlab.contracts.tune;

import java.util.List;

/**
 * Where one flag's random values come from: either a list of {@code values} (drawn uniformly) or a range
 * {@code [min, max]}, sampled uniformly or log-uniformly, rounded to integers when {@code integer} is true.
 */
public record ParamSpace(List<Object> values, Double min, Double max, Boolean log, Boolean integer) {
}
