package io.transferlab.tuner.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.transferlab.tuner.persistence.StudyRepository;
import io.transferlab.tuner.persistence.TransientDatabaseErrors;
import io.transferlab.tuner.service.TrialDispatcher.LockMode;
import io.transferlab.tuner.service.TrialDispatcher.Round;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The safety net under event-driven dispatch: every {@code transferlab.tuner.sweep-interval} it advances each
 * active study. That is what lets a tuner that restarted mid-study carry on (its first sweep dispatches what the
 * plan allows), re-sends what a broker outage left unsent, and repairs a wake-up lost to a busy lock. Studies
 * another transaction holds are skipped: whoever holds them is advancing them.
 */
@ApplicationScoped
public class DispatchSweep {

    private static final Logger LOG = Logger.getLogger(DispatchSweep.class);

    private final StudyRepository studies;
    private final TrialDispatcher dispatcher;
    private final TunerMetrics metrics;
    private volatile boolean failing;
    private volatile boolean stopping;

    public DispatchSweep(StudyRepository studies, TrialDispatcher dispatcher, TunerMetrics metrics) {
        this.studies = studies;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
    }

    @Scheduled(every = "${transferlab.tuner.sweep-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (stopping) {
            return;
        }
        try {
            for (String studyId : studies.activeStudyIds()) {
                Round round = dispatcher.advance(studyId, LockMode.SKIP_IF_BUSY);
                if (round.dispatched() > 0 || round.cancelsSent() > 0) {
                    LOG.infof("sweep: study %s: %d trial(s) dispatched, %d cancel(s) sent", studyId, round.dispatched(),
                            round.cancelsSent());
                }
            }
            metrics.studiesRunning(studies.countRunning());
            if (failing) {
                failing = false;
                LOG.info("sweep: PostgreSQL reachable again");
            }
        } catch (RuntimeException e) {
            if (stopping) {
                return; // the persistence layer closed under a sweep in progress: nothing to report
            }
            // Logged once per outage, not every few seconds; consumers report the outage through readiness.
            if (!failing || !TransientDatabaseErrors.isTransient(e)) {
                LOG.warnf("sweep failed, retrying every interval: %s", TransientDatabaseErrors.describe(e));
            }
            failing = true;
        }
    }

    /** The persistence layer closes during shutdown; a sweep then would only log noise. */
    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
    }

}
