package io.transferlab.tuner.rest;

import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.contracts.validation.Violation;
import io.transferlab.tuner.config.TunerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Checks the list endpoints' query parameters; a bad one is a 400 problem that names it and what is allowed. */
@ApplicationScoped
public class QueryParams {

    private final TunerConfig config;

    public QueryParams(TunerConfig config) {
        this.config = config;
    }

    public int limit(Integer limit) {
        if (limit == null) {
            return config.query().defaultLimit();
        }
        if (limit < 1 || limit > config.query().maxLimit()) {
            throw new ValidationException(List.of(new Violation("limit", "must be between 1 and " + config.query().maxLimit())));
        }
        return limit;
    }

    public <E extends Enum<E>> E status(String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(List.of(new Violation("status", "must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")))));
        }
    }
}
