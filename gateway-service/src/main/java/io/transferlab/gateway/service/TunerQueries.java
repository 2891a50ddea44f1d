package io.transferlab.gateway.service;

import io.smallrye.mutiny.Uni;
import io.transferlab.commons.problem.Problem;
import io.transferlab.contracts.model.ModelRef;
import io.transferlab.contracts.query.ModelView;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.gateway.client.TunerClient;
import io.transferlab.gateway.client.TunerClient.TunerNotFoundException;
import io.transferlab.gateway.client.TunerClient.TunerRejectedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads run, study and model state from the tuner, naming its failures: unknown id (404), a list parameter the
 * tuner refuses (400, its violations), tuner unreachable (503), tuner error (502), tuner too slow (504).
 */
@ApplicationScoped
public class TunerQueries {

    private final TunerClient tuner;
    private final RecentSubmissions recent;

    public TunerQueries(@RestClient TunerClient tuner, RecentSubmissions recent) {
        this.tuner = tuner;
        this.recent = recent;
    }

    /** The run as the tuner recorded it, or as this gateway queued it moments ago (QUEUED). */
    public Uni<RunView> run(String runId) {
        return named(tuner.run(runId), "training run " + runId).onFailure(UnknownResourceException.class)
                .recoverWithUni(e -> recent.queuedRun(runId).map(v -> Uni.createFrom().item(v))
                        .orElseGet(() -> Uni.createFrom().failure(e)));
    }

    /**
     * Fails with {@link UnknownResourceException} when neither the tuner nor this gateway knows the run; when the
     * tuner cannot be asked, the id is given the benefit of the doubt (a cancel must work while the tuner is down).
     */
    public Uni<Void> requireRun(String runId) {
        return run(runId).replaceWithVoid().onFailure(e -> !(e instanceof UnknownResourceException)).recoverWithNull();
    }

    /**
     * Fails with {@link UnknownResourceException} when the tuner, which records every model the trainers publish,
     * does not know the model, or a pinned version of it. The pretrained models ({@code imagenet-*}, served by the
     * inference service itself) and a tuner that cannot be asked pass.
     */
    public Uni<Void> requireModel(ModelRef ref) {
        if (ref.modelId().startsWith("imagenet-")) {
            return Uni.createFrom().voidItem();
        }
        return model(ref.modelId()).invoke(view -> {
            if (ref.pinned() && !view.versions().contains(ref.version())) {
                throw new UnknownResourceException("model " + ref.modelId() + " has no version " + ref.version()
                        + " (the tuner, which records every published version, knows " + view.versions() + ")");
            }
        }).replaceWithVoid().onFailure(e -> !(e instanceof UnknownResourceException)).recoverWithNull();
    }

    /** As {@link #requireRun} for studies. */
    public Uni<Void> requireStudy(String studyId) {
        return study(studyId).replaceWithVoid().onFailure(e -> !(e instanceof UnknownResourceException))
                .recoverWithNull();
    }

    public Uni<List<RunView>> runs(String studyId, String status, Integer limit) {
        return named(tuner.runs(studyId, status, limit), "runs");
    }

    /** The study as the tuner recorded it, or as this gateway queued it moments ago (QUEUED). */
    public Uni<StudyView> study(String studyId) {
        return named(tuner.study(studyId), "tuning study " + studyId).onFailure(UnknownResourceException.class)
                .recoverWithUni(e -> recent.queuedStudy(studyId).map(v -> Uni.createFrom().item(v))
                        .orElseGet(() -> Uni.createFrom().failure(e)));
    }

    public Uni<List<StudyView>> studies() {
        return named(tuner.studies(), "studies");
    }

    public Uni<ModelView> model(String modelId) {
        return named(tuner.model(modelId), "model " + modelId);
    }

    public Uni<List<ModelView>> models() {
        return named(tuner.models(), "models");
    }

    /** For SSE snapshots: the view, or null when the tuner does not have it or cannot be asked. */
    public Uni<RunView> runOrNull(String runId) {
        return tuner.run(runId).onFailure().recoverWithNull();
    }

    public Uni<StudyView> studyOrNull(String studyId) {
        return tuner.study(studyId).onFailure().recoverWithNull();
    }

    private static <T> Uni<T> named(Uni<T> call, String what) {
        return call.onFailure().transform(e -> {
            if (e instanceof TunerNotFoundException) {
                return new UnknownResourceException(what + " is not known (the tuner, which records every run, "
                        + "study and model, has no record of it)");
            }
            if (e instanceof TunerRejectedException rejected) {
                // the caller's parameter, passed on: the caller's mistake (400), not the tuner's failure (502)
                Problem p = rejected.problem();
                return p.violations() != null && !p.violations().isEmpty() ? new ValidationException(p.violations())
                        : new BadRequestException(p.detail());
            }
            if (e instanceof WebApplicationException w) {
                return new UpstreamException(502, "the tuner answered HTTP " + w.getResponse().getStatus()
                        + " when asked for " + what, e);
            }
            if (hasCause(e, TimeoutException.class) || hasCause(e, io.vertx.core.http.HttpClosedException.class)
                    || e.getClass().getSimpleName().contains("Timeout")) {
                return new UpstreamException(504, "the tuner did not answer in time when asked for " + what, e);
            }
            if (hasCause(e, ConnectException.class) || e instanceof jakarta.ws.rs.ProcessingException) {
                return new UpstreamException(503, "the tuner cannot be reached to ask for " + what + ": "
                        + rootMessage(e), e);
            }
            return e;
        });
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
