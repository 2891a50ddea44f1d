package io.transferlab.vision;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.validation.Violation;
import java.util.List;
import java.util.stream.Collectors;

/** A run spec that breaks the contract's rules or asks for something this engine cannot build; lists every violation. */
public class InvalidSpecException extends VisionException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        super("invalid run spec: " + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public InvalidSpecException(String path, String message) {
        this(List.of(new Violation(path, message)));
    }

    public List<Violation> violations() {
        return violations;
    }

    @Override
    public ErrorCode code() {
        return ErrorCode.INVALID_SPEC;
    }
}
