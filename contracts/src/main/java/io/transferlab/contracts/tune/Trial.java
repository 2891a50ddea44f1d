package io.transferlab.contracts.tune;

import io.transferlab.contracts.train.RunSpec;
import java.util.Map;

/**
 * One planned run of a study.
 *
 * @param index 0-based position in the study's plan (dispatch order)
 * @param flags the flags this trial varies, and their values
 * @param spec the base spec with those flags applied and defaults resolved
 */
public record Trial(int index, Map<String, Object> flags, RunSpec spec) {
}
