package io.transferlab.gateway.service;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.RunsTableRow;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.train.TrainProgress;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.gateway.config.GatewayConfig;
import io.transferlab.gateway.metrics.GatewayMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.smallrye.mutiny.Uni;

/**
 * Hands the training progress and results this replica reads from Kafka to the SSE clients connected to it.
 * A stream opens with a snapshot from the tuner (so a late client sees the epochs it missed), then carries the
 * live events that come after it, in order, and ends with the run's result (or, for a study, when every trial
 * has one). Each client has a bounded buffer: one that falls too far behind is disconnected.
 */
@ApplicationScoped
public class RunEventHub {

    private final Map<String, Set<Stream>> byRun = new ConcurrentHashMap<>();
    private final Map<String, Set<Stream>> byStudy = new ConcurrentHashMap<>();
    private final int buffer;
    private final GatewayMetrics metrics;
    private final ScheduledExecutorService heartbeat;

    public RunEventHub(GatewayConfig config, GatewayMetrics metrics) {
        this.buffer = config.events().bufferPerClient();
        this.metrics = metrics;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sse-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = config.events().heartbeat().toMillis();
        heartbeat.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        heartbeat.shutdownNow();
    }

    /** The stream of one run; {@code snapshot} yields the tuner's view, or null when it has none. */
    public Multi<RunEvent> run(String runId, Supplier<Uni<RunView>> snapshot) {
        return open(runId, false, snapshot.get().map(v -> v == null ? null : new Snapshot(
                new RunEvent("snapshot", runId + ":snapshot", Json.write(v)), v.epochsCompleted(),
                v.status() != null && v.status().isFinal(), Set.of(), 0, false)));
    }

    /** The stream of a study's runs; {@code snapshot} yields the tuner's view, or null when it has none. */
    public Multi<RunEvent> study(String studyId, Supplier<Uni<StudyView>> snapshot) {
        return open(studyId, true, snapshot.get().map(v -> {
            if (v == null) {
                return null;
            }
            Set<String> finished = new HashSet<>();
            if (v.runs() != null) {
                for (RunsTableRow row : v.runs()) {
                    if (row.status() != null && row.status().isFinal()) {
                        finished.add(row.runId());
                    }
                }
            }
            boolean over = v.status() != null && v.status().isFinal();
            return new Snapshot(new RunEvent("snapshot", studyId + ":snapshot", Json.write(v)), 0, over, finished,
                    v.trialCount(), true);
        }));
    }

    public void progress(TrainProgress p, String json) {
        RunEvent event = new RunEvent("progress", p.runId() + ":" + (p.metrics() == null ? 0 : p.metrics().epoch()),
                json);
        int epoch = p.metrics() == null ? 0 : p.metrics().epoch();
        deliver(byRun.get(p.runId()), s -> s.progress(event, epoch));
        if (p.studyId() != null) {
            deliver(byStudy.get(p.studyId()), s -> s.progress(event, 0));
        }
    }

    public void result(TrainResult r, String json) {
        RunEvent event = new RunEvent("result", r.runId() + ":result", json);
        deliver(byRun.get(r.runId()), s -> s.result(event, r.runId()));
        if (r.studyId() != null) {
            deliver(byStudy.get(r.studyId()), s -> s.result(event, r.runId()));
        }
    }

    private static void deliver(Set<Stream> streams, java.util.function.Consumer<Stream> action) {
        if (streams != null) {
            streams.forEach(action);
        }
    }

    private void beat() {
        byRun.values().forEach(set -> set.forEach(Stream::heartbeat));
        byStudy.values().forEach(set -> set.forEach(Stream::heartbeat));
    }

    private Multi<RunEvent> open(String key, boolean study, Uni<Snapshot> snapshot) {
        Map<String, Set<Stream>> index = study ? byStudy : byRun;
        return Multi.createFrom().<RunEvent>emitter(emitter -> {
            Stream stream = new Stream(emitter);
            index.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(stream);
            metrics.subscribers(study).incrementAndGet();
            emitter.onTermination(() -> {
                index.computeIfPresent(key, (k, set) -> {
                    set.remove(stream);
                    return set.isEmpty() ? null : set;
                });
                metrics.subscribers(study).decrementAndGet();
            });
            // A comment first, so the client sees the stream open at once (headers flush with the first frame).
            emitter.emit(RunEvent.HEARTBEAT);
            // Registered before the snapshot is asked for: nothing published in between is lost.
            snapshot.subscribe().with(stream::snapshot, failure -> stream.snapshot(null));
        }, BackPressureStrategy.ERROR).onOverflow().buffer(buffer);
    }

    /** What the tuner knew when the stream opened. */
    private record Snapshot(RunEvent event, int epochsCompleted, boolean over, Set<String> finishedRuns,
            int trialCount, boolean study) {
    }

    /** One client's stream: holds live events until the snapshot is out, then passes them on in order. */
    private static final class Stream {
        private final MultiEmitter<? super RunEvent> emitter;
        private List<Runnable> held = new ArrayList<>();
        private int epochsCompleted;
        private final Set<String> finishedRuns = new HashSet<>();
        private int trialCount;
        private boolean study;

        Stream(MultiEmitter<? super RunEvent> emitter) {
            this.emitter = emitter;
        }

        synchronized void snapshot(Snapshot s) {
            if (s != null) {
                emitter.emit(s.event());
                epochsCompleted = s.epochsCompleted();
                finishedRuns.addAll(s.finishedRuns());
                trialCount = s.trialCount();
                study = s.study();
                if (s.over()) {
                    complete();
                    return;
                }
                if (study && trialCount > 0 && finishedRuns.size() >= trialCount) {
                    complete();
                    return;
                }
            }
            List<Runnable> pending = held;
            held = null;
            pending.forEach(Runnable::run);
        }

        synchronized void progress(RunEvent event, int epoch) {
            if (held != null) {
                held.add(() -> progress(event, epoch));
                return;
            }
            if (epoch > 0 && epoch <= epochsCompleted) {
                return; // already in the snapshot
            }
            safeEmit(event);
        }

        synchronized void result(RunEvent event, String runId) {
            if (held != null) {
                held.add(() -> result(event, runId));
                return;
            }
            if (!finishedRuns.add(runId) && study) {
                return; // the snapshot already counted it
            }
            safeEmit(event);
            if (!study || (trialCount > 0 && finishedRuns.size() >= trialCount)) {
                complete();
            }
        }

        synchronized void heartbeat() {
            if (held == null) {
                safeEmit(RunEvent.HEARTBEAT);
            }
        }

        private void complete() {
            if (!emitter.isCancelled()) {
                emitter.emit(new RunEvent("complete", null, "{}"));
                emitter.complete();
            }
        }

        private void safeEmit(RunEvent event) {
            if (!emitter.isCancelled()) {
                emitter.emit(event);
            }
        }
    }
}
