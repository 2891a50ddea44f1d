package io.transferlab.tuner.persistence;

import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.query.RunsTableRow;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Studies as the HTTP API shows them, read from the study table and the study_overview view. */
@ApplicationScoped
public class StudyQueries {

    private final StudyRepository studies;
    private final RunQueries runs;

    public StudyQueries(StudyRepository studies, RunQueries runs) {
        this.studies = studies;
        this.runs = runs;
    }

    /** Studies, newest first, without their runs tables. */
    public List<StudyView> list(StudyStatus status, int limit) {
        return studies.overviews(status, limit).stream().map(o -> view(o, List.of())).toList();
    }

    /** One study with its ranked runs table. */
    public Optional<StudyView> find(String studyId) {
        return studies.overview(studyId).map(o -> view(o, runs.table(studyId, flagOrder(o.study))));
    }

    private static List<String> flagOrder(StudyEntity s) {
        if (s.grid != null) {
            return List.copyOf(s.grid.keySet());
        }
        if (s.randomSearch != null && s.randomSearch.space() != null) {
            return List.copyOf(s.randomSearch.space().keySet());
        }
        return List.of();
    }

    private static StudyView view(StudyOverviewEntity o, List<RunsTableRow> table) {
        StudyEntity s = o.study;
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        byStatus.put(RunStatus.QUEUED.name(), (int) o.runsQueued);
        byStatus.put(RunStatus.RUNNING.name(), (int) o.runsRunning);
        byStatus.put(RunStatus.SUCCEEDED.name(), (int) o.runsSucceeded);
        byStatus.put(RunStatus.FAILED.name(), (int) o.runsFailed);
        byStatus.put(RunStatus.CANCELLED.name(), (int) o.runsCancelled);
        return new StudyView(s.studyId, s.name, s.status, new Objective(s.objectiveMetric, s.objectiveDirection),
                s.maxParallel, s.trialCount, byStatus, o.bestRunId, o.bestValue, s.baseSpec, s.grid, s.randomSearch,
                s.createdAt, s.finishedAt, table, rejection(s.rejection), s.owner);
    }

    private static ErrorInfo rejection(List<Violation> violations) {
        if (violations == null) {
            return null;
        }
        return ErrorInfo.of(ErrorCode.INVALID_SPEC, violations.size() + " violation(s): "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    }
}
