package io.transferlab.contracts.tune;

import java.util.Map;

/**
 * Draws {@code trials} specs from {@code space}, reproducibly for a given {@code seed}.
 *
 * @param space flag name to where its values come from
 */
public record RandomSearch(Integer trials, Long seed, Map<String, ParamSpace> space) {
}
