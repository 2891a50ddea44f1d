package io.transferlab.gateway.service;

import io.smallrye.mutiny.Uni;
import io.transferlab.contracts.Requester;
import io.transferlab.contracts.query.RunView;
import io.transferlab.contracts.query.StudyView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The gateway's up-front answers on ownership, from what the tuner recorded (and, for ids this gateway queued
 * moments ago, from {@link RecentSubmissions}): a training into another key's model answers 409, a cancel of
 * another key's run or study 403, an unknown id 404. The rule itself is contracts' {@link Requester#mayActOn}.
 *
 * <p>When the tuner cannot be asked, the gateway keeps its behaviour from before owners: a training goes ahead
 * (the trainer's model store refuses another key's model at publish time, authoritatively) and a cancel goes ahead
 * unless this gateway queued the id itself and knows its owner: the control names its sender, and the trainer or
 * tuner, where the run or study lives, refuses it authoritatively (docs/security.md).
 */
@ApplicationScoped
public class OwnerChecks {

    private static final Logger LOG = Logger.getLogger(OwnerChecks.class);

    private final TunerQueries tuner;
    private final RecentSubmissions recent;

    public OwnerChecks(TunerQueries tuner, RecentSubmissions recent) {
        this.tuner = tuner;
        this.recent = recent;
    }

    /**
     * Fails with {@link ModelOfAnotherKeyException} when {@code modelId} is a model the tuner knows and its owner
     * (the owner of its latest version) does not let {@code requester} publish. A model nobody published yet, no
     * model id (the run id is used, which is new) and a tuner that cannot be asked pass.
     */
    public Uni<Void> requireMayPublish(String modelId, Requester requester) {
        if (modelId == null || modelId.isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return tuner.model(modelId).onItem().transformToUni(model -> {
            if (!requester.mayActOn(model.owner())) {
                return Uni.createFrom().<Void>failure(new ModelOfAnotherKeyException(modelId));
            }
            return Uni.createFrom().voidItem();
        }).onFailure(e -> !(e instanceof ModelOfAnotherKeyException)).recoverWithUni(e -> {
            if (!(e instanceof UnknownResourceException)) {
                LOG.debugf("model %s: owner not checked here, the tuner could not be asked (%s); the trainer "
                        + "checks at publish time", modelId, e.getMessage());
            }
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Fails with {@link UnknownResourceException} when neither the tuner nor this gateway knows the run, and with
     * {@link NotOwnerException} when it belongs to another key and {@code requester} is no admin.
     */
    public Uni<Void> requireMayCancelRun(String runId, Requester requester) {
        return requireMayCancel(tuner.run(runId), recent.queuedRun(runId), RunView::owner, requester,
                "run '" + runId + "'");
    }

    /** As {@link #requireMayCancelRun} for studies. */
    public Uni<Void> requireMayCancelStudy(String studyId, Requester requester) {
        return requireMayCancel(tuner.study(studyId), recent.queuedStudy(studyId), StudyView::owner, requester,
                "study '" + studyId + "'");
    }

    private static <V> Uni<Void> requireMayCancel(Uni<V> recorded, Optional<V> queuedHere, Function<V, String> owner,
            Requester requester, String what) {
        // The tuner unreachable: fall back on what this gateway queued itself, else let the cancel through (a cancel
        // must work while the tuner is down); the trainer or tuner checks its sender where the run or study lives.
        Uni<V> known = recorded.onFailure(e -> !(e instanceof UnknownResourceException))
                .recoverWithItem(() -> queuedHere.orElse(null));
        return known.onItem().transformToUni(view -> {
            if (view != null && !requester.mayActOn(owner.apply(view))) {
                return Uni.createFrom().<Void>failure(new NotOwnerException(what));
            }
            return Uni.createFrom().voidItem();
        });
    }
}
