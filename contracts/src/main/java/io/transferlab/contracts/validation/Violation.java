package io.transferlab.contracts.validation;

/**
 * One broken rule: {@code path} names the field as it appears in the JSON (e.g. {@code spec.epochs},
 * {@code grid.dropout[1]}), {@code message} says what is required ({@code must be between 1 and 1000}).
 */
public record Violation(String path, String message) {

    @Override
    public String toString() {
        return path + " " + message;
    }
}
