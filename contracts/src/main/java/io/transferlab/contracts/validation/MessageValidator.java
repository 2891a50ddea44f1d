package io.transferlab.contracts.validation;

import io.transferlab.contracts.Requester;
import io.transferlab.contracts.SchemaVersion;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.model.ModelAliasChanged;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.tune.Flags;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.ParamSpace;
import io.transferlab.contracts.tune.RandomSearch;
import io.transferlab.contracts.tune.TrialPlanner;
import io.transferlab.contracts.tune.TuneControl;
import io.transferlab.contracts.tune.TuneRequest;
import java.util.List;
import java.util.Map;

/**
 * Checks messages against the contract and reports every violation at once. Producers check before sending,
 * consumers again on receipt (a message may come from anyone's producer).
 */
public final class MessageValidator {

    private MessageValidator() {
    }

    public static List<Violation> validate(TrainRequest r) {
        Violations v = new Violations();
        schemaVersion(r.schemaVersion(), v);
        v.require(r.runId(), "runId");
        v.id(r.runId(), "runId");
        v.id(r.studyId(), "studyId");
        v.id(r.modelId(), "modelId");
        if (r.modelId() != null && r.modelId().startsWith("imagenet-")) {
            v.add("modelId", "must not start with 'imagenet-' (reserved for the pretrained models)");
        }
        keyName(r.owner(), "owner", v);
        if (r.spec() == null) {
            v.add("spec", "is required");
        } else {
            RunSpecValidator.validate(r.spec(), v.at("spec"));
        }
        return v.list();
    }

    /** Rules for a bare spec, with paths relative to the spec (as the gateway's POST body carries it). */
    public static List<Violation> validate(RunSpec spec) {
        Violations v = new Violations();
        RunSpecValidator.validate(spec, v);
        return v.list();
    }

    public static List<Violation> validate(ClassifyRequest r) {
        Violations v = new Violations();
        schemaVersion(r.schemaVersion(), v);
        v.require(r.requestId(), "requestId");
        v.id(r.requestId(), "requestId");
        v.require(r.modelId(), "modelId");
        v.id(r.modelId(), "modelId");
        v.between(r.topK(), "topK", 1, ClassifyRequest.MAX_TOP_K);
        v.between(r.modelVersion(), "modelVersion", 1, Integer.MAX_VALUE);
        if (r.image() == null || r.image().length == 0) {
            v.add("image", "is required (base64 image bytes)");
        }
        return v.list();
    }

    /** Any alias name of the right shape passes: which names the API admits is the gateway's decision. */
    public static List<Violation> validate(ModelAliasChanged c) {
        Violations v = new Violations();
        schemaVersion(c.schemaVersion(), v);
        v.require(c.modelId(), "modelId");
        v.id(c.modelId(), "modelId");
        if (v.require(c.alias(), "alias") && !ModelAliasChanged.NAME.matcher(c.alias()).matches()) {
            v.add("alias", "must be 1-32 lower-case letters, digits or '-', starting with a letter");
        }
        v.between(c.version(), "version", 1, Integer.MAX_VALUE);
        if (v.require(c.changedBy(), "changedBy") && (c.changedBy().isBlank() || c.changedBy().length() > 128)) {
            v.add("changedBy", "must be 1-128 characters");
        }
        v.require(c.changedAt(), "changedAt");
        return v.list();
    }

    public static List<Violation> validate(TrainControl c) {
        Violations v = new Violations();
        schemaVersion(c.schemaVersion(), v);
        v.require(c.runId(), "runId");
        v.id(c.runId(), "runId");
        v.require(c.action(), "action");
        keyName(c.requester(), "requester", v);
        return v.list();
    }

    public static List<Violation> validate(TuneControl c) {
        Violations v = new Violations();
        schemaVersion(c.schemaVersion(), v);
        v.require(c.studyId(), "studyId");
        v.id(c.studyId(), "studyId");
        v.require(c.action(), "action");
        keyName(c.requester(), "requester", v);
        return v.list();
    }

    public static List<Violation> validate(TuneRequest r) {
        Violations v = new Violations();
        schemaVersion(r.schemaVersion(), v);
        v.require(r.studyId(), "studyId");
        v.id(r.studyId(), "studyId");
        if (r.name() != null && r.name().length() > 200) {
            v.add("name", "must be at most 200 characters");
        }
        v.between(r.maxParallel(), "maxParallel", 1, 64);
        keyName(r.owner(), "owner", v);
        if (r.objective() != null) {
            Objective o = r.objective();
            v.at("objective").oneOf(o.metric(), "metric", Objective.METRICS);
            v.at("objective").oneOf(o.direction(), "direction", Objective.DIRECTIONS);
        }
        if (r.baseSpec() == null) {
            v.add("baseSpec", "is required");
            return v.list();
        }
        RunSpecValidator.validate(r.baseSpec(), v.at("baseSpec"));
        boolean hasGrid = r.grid() != null;
        boolean hasRandom = r.random() != null;
        if (hasGrid && hasRandom) {
            v.add("grid", "and random cannot both be given: choose a grid or a random search");
        } else if (!hasGrid && !hasRandom) {
            v.add("grid", "is required (or random): a study needs a search space");
        } else if (hasGrid) {
            validateGrid(r.baseSpec(), r.grid(), v);
        } else {
            validateRandom(r.baseSpec(), r.random(), v.at("random"));
        }
        return v.list();
    }

    private static void validateGrid(RunSpec base, Map<String, List<Object>> grid, Violations v) {
        if (grid.isEmpty()) {
            v.add("grid", "must not be empty: give at least one flag and its values");
            return;
        }
        Violations g = v.at("grid");
        for (Map.Entry<String, List<Object>> e : grid.entrySet()) {
            String flag = e.getKey();
            if (!Flags.isFlag(flag)) {
                g.add(flag, "is not a flag; flags are " + String.join(", ", Flags.sortedNames()));
                continue;
            }
            if (e.getValue() == null || e.getValue().isEmpty()) {
                g.add(flag, "must list at least one value");
                continue;
            }
            for (int i = 0; i < e.getValue().size(); i++) {
                checkValue(base, flag, e.getValue().get(i), g, flag + "[" + i + "]");
            }
        }
        long size = TrialPlanner.gridSize(grid);
        if (size > TuneRequest.MAX_TRIALS) {
            v.add("grid", "makes " + size + " trials; at most " + TuneRequest.MAX_TRIALS + " are allowed");
        }
    }

    private static void validateRandom(RunSpec base, RandomSearch r, Violations v) {
        v.require(r.trials(), "trials");
        v.between(r.trials(), "trials", 1, TuneRequest.MAX_TRIALS);
        if (r.space() == null || r.space().isEmpty()) {
            v.add("space", "must not be empty: give at least one flag and where its values come from");
            return;
        }
        Violations s = v.at("space");
        for (Map.Entry<String, ParamSpace> e : r.space().entrySet()) {
            String flag = e.getKey();
            ParamSpace p = e.getValue();
            if (!Flags.isFlag(flag)) {
                s.add(flag, "is not a flag; flags are " + String.join(", ", Flags.sortedNames()));
                continue;
            }
            if (p == null) {
                s.add(flag, "is required");
                continue;
            }
            boolean hasValues = p.values() != null && !p.values().isEmpty();
            boolean hasRange = p.min() != null || p.max() != null;
            if (hasValues == hasRange) {
                s.add(flag, "needs either values or a min/max range");
                continue;
            }
            if (hasValues) {
                for (int i = 0; i < p.values().size(); i++) {
                    checkValue(base, flag, p.values().get(i), s, flag + ".values[" + i + "]");
                }
                continue;
            }
            if (p.min() == null || p.max() == null || !(p.min() < p.max())) {
                s.add(flag, "needs min < max");
                continue;
            }
            if (Boolean.TRUE.equals(p.log()) && p.min() <= 0) {
                s.add(flag + ".min", "must be > 0 for a log-uniform range");
            }
            Object lo = Boolean.TRUE.equals(p.integer()) ? (Object) (long) Math.ceil(p.min()) : p.min();
            Object hi = Boolean.TRUE.equals(p.integer()) ? (Object) (long) Math.floor(p.max()) : p.max();
            checkValue(base, flag, lo, s, flag + ".min");
            checkValue(base, flag, hi, s, flag + ".max");
        }
    }

    /** Applies one value to the base spec and reports what the spec rules say about that flag. */
    private static void checkValue(RunSpec base, String flag, Object value, Violations at, String path) {
        RunSpec trial;
        try {
            trial = Flags.apply(base, Map.of(flag, value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value));
        } catch (IllegalArgumentException ex) {
            at.add(path, "has value " + value + " of the wrong type for flag " + flag);
            return;
        }
        Violations probe = new Violations();
        RunSpecValidator.validate(trial, probe);
        for (Violation violation : probe.list()) {
            if (violation.path().equals(flag) || violation.path().startsWith(flag + "[")) {
                at.add(path, violation.message());
            }
        }
    }

    /**
     * An owner or a control's requester is an API key's name: free text in the keys file, so only its length and
     * characters are checked. Absent is allowed (a version-1 message).
     */
    private static void keyName(String name, String field, Violations v) {
        if (name == null) {
            return;
        }
        if (name.isBlank() || name.length() > Requester.MAX_KEY_NAME_LENGTH) {
            v.add(field, "must be 1-" + Requester.MAX_KEY_NAME_LENGTH + " characters (an API key's name)");
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            v.add(field, "must not contain control characters");
        }
    }

    private static void schemaVersion(int version, Violations v) {
        if (version < 1 || version > SchemaVersion.CURRENT) {
            v.add("schemaVersion", "must be between 1 and " + SchemaVersion.CURRENT
                    + " (this service reads schema versions up to " + SchemaVersion.CURRENT + ")");
        }
    }

    /** Throws {@link ValidationException} with every violation when there are any. */
    public static void requireValid(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }
}
