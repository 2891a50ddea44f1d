package io.transferlab.gateway.service;

import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.tune.TuneRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs and studies this gateway queued in the last minutes. Between the 202 and the tuner recording the request
 * (it reads it from Kafka) the tuner does not know the id yet; this lets the gateway answer the Location it handed
 * out at once (a QUEUED view) and tell an id it never issued (404) from one on its way. Bounded in size and age;
 * another replica's submissions are not known here (the tuner knows them within moments).
 */
@ApplicationScoped
public class RecentSubmissions {

    static final Duration KEEP = Duration.ofMinutes(10);
    static final int MAX_ENTRIES = 10_000;

    private final Map<String, TrainRequest> runs = new ConcurrentHashMap<>();
    private final Map<String, TuneRequest> studies = new ConcurrentHashMap<>();

    public void run(TrainRequest request) {
        prune(runs, r -> r.submittedAt());
        runs.put(request.runId(), request);
    }

    public void study(TuneRequest request, int trialCount) {
        prune(studies, r -> r.submittedAt());
        studies.put(request.studyId(), request);
        trials.put(request.studyId(), trialCount);
    }

    private final Map<String, Integer> trials = new ConcurrentHashMap<>();

    public boolean knowsRun(String runId) {
        return queuedRun(runId).isPresent();
    }

    public boolean knowsStudy(String studyId) {
        return queuedStudy(studyId).isPresent();
    }

    /** The run as queued, while it is recent. */
    public Optional<RunView> queuedRun(String runId) {
        TrainRequest r = runs.get(runId);
        if (r == null || expired(r.submittedAt())) {
            return Optional.empty();
        }
        return Optional.of(new RunView(r.runId(), r.studyId(), null, RunStatus.QUEUED, r.spec(), null, 0, null,
                null, null, null, null, r.effectiveModelId(), null, null, null, null, null, r.correlationId(),
                r.submittedAt(), null, null, null, r.owner()));
    }

    /** The study as queued, while it is recent: every trial QUEUED. */
    public Optional<StudyView> queuedStudy(String studyId) {
        TuneRequest r = studies.get(studyId);
        if (r == null || expired(r.submittedAt())) {
            return Optional.empty();
        }
        int n = trials.getOrDefault(studyId, 0);
        return Optional.of(new StudyView(r.studyId(), r.name(), StudyStatus.QUEUED, r.objective(), r.maxParallel(),
                n, Map.of(RunStatus.QUEUED.name(), n), null, null, r.baseSpec(), r.grid(), r.random(),
                r.submittedAt(), null, null, null, r.owner()));
    }

    private static boolean expired(Instant at) {
        return at == null || at.plus(KEEP).isBefore(Instant.now());
    }

    private <T> void prune(Map<String, T> map, java.util.function.Function<T, Instant> at) {
        if (map.size() < MAX_ENTRIES) {
            return;
        }
        map.entrySet().removeIf(e -> expired(at.apply(e.getValue())));
        if (map.size() >= MAX_ENTRIES) {
            // all recent: drop the oldest so that the map stays bounded
            map.entrySet().stream().min(java.util.Comparator.comparing(e -> at.apply(e.getValue())))
                    .ifPresent(e -> map.remove(e.getKey()));
        }
        trials.keySet().retainAll(studies.keySet());
    }
}
