package io.transferlab.tuner.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.query.RunsTableRow;
import io.transferlab.contracts.query.StudyStatus;
import io.transferlab.contracts.query.StudyView;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.RunStatus;
import io.transferlab.contracts.tune.Objective;
import io.transferlab.contracts.tune.RandomSearch;
import io.transferlab.contracts.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Studies as the HTTP API shows them, read from the study table and the study_overview view. */
@ApplicationScoped
public class StudyQueries {

    private static final String COLUMNS = """
            SELECT s.study_id, s.name, s.status, s.objective_metric, s.objective_direction, s.max_parallel,
                   s.trial_count, o.runs_queued, o.runs_running, o.runs_succeeded, o.runs_failed, o.runs_cancelled,
                   o.best_run_id, o.best_value, CAST(s.base_spec AS text) AS base_spec, CAST(s.grid AS text) AS grid,
                   CAST(s.random_search AS text) AS random_search, CAST(s.rejection AS text) AS rejection,
                   s.created_at, s.finished_at
            FROM study s JOIN study_overview o ON o.study_id = s.study_id
            """;

    private final Jdbc jdbc;
    private final RunQueries runs;

    public StudyQueries(Jdbc jdbc, RunQueries runs) {
        this.jdbc = jdbc;
        this.runs = runs;
    }

    /** Studies, newest first, without their runs tables. */
    public List<StudyView> list(StudyStatus status, int limit) {
        List<Object> params = new ArrayList<>();
        String where = "";
        if (status != null) {
            where = " WHERE s.status = ?";
            params.add(status.name());
        }
        params.add(limit);
        return jdbc.query(COLUMNS + where + " ORDER BY s.created_at DESC, s.study_id DESC LIMIT ?",
                rs -> view(rs, List.of()), params.toArray());
    }

    /** One study with its ranked runs table. */
    public Optional<StudyView> find(String studyId) {
        Optional<StudyView> study = jdbc.query(COLUMNS + " WHERE s.study_id = ?", rs -> view(rs, List.of()), studyId)
                .stream().findFirst();
        return study.map(s -> {
            List<RunsTableRow> table = runs.table(s.studyId(), flagOrder(s));
            return new StudyView(s.studyId(), s.name(), s.status(), s.objective(), s.maxParallel(), s.trialCount(),
                    s.runsByStatus(), s.bestRunId(), s.bestValue(), s.baseSpec(), s.grid(), s.random(), s.createdAt(),
                    s.finishedAt(), table, s.error());
        });
    }

    private static List<String> flagOrder(StudyView s) {
        if (s.grid() != null) {
            return List.copyOf(s.grid().keySet());
        }
        if (s.random() != null && s.random().space() != null) {
            return List.copyOf(s.random().space().keySet());
        }
        return List.of();
    }

    private static StudyView view(ResultSet rs, List<RunsTableRow> table) throws SQLException {
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        byStatus.put(RunStatus.QUEUED.name(), rs.getInt("runs_queued"));
        byStatus.put(RunStatus.RUNNING.name(), rs.getInt("runs_running"));
        byStatus.put(RunStatus.SUCCEEDED.name(), rs.getInt("runs_succeeded"));
        byStatus.put(RunStatus.FAILED.name(), rs.getInt("runs_failed"));
        byStatus.put(RunStatus.CANCELLED.name(), rs.getInt("runs_cancelled"));
        String random = rs.getString("random_search");
        return new StudyView(
                rs.getString("study_id"),
                rs.getString("name"),
                StudyStatus.valueOf(rs.getString("status")),
                new Objective(rs.getString("objective_metric"), rs.getString("objective_direction")),
                rs.getInt("max_parallel"),
                rs.getInt("trial_count"),
                byStatus,
                rs.getString("best_run_id"),
                Jdbc.doubleOrNull(rs, "best_value"),
                JsonColumns.as(rs.getString("base_spec"), RunSpec.class),
                JsonColumns.grid(rs.getString("grid")),
                random == null ? null : Json.read(random, RandomSearch.class),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "finished_at"),
                table,
                rejection(rs.getString("rejection")));
    }

    private static ErrorInfo rejection(String json) {
        if (json == null) {
            return null;
        }
        List<Violation> violations;
        try {
            violations = Json.mapper().readValue(json, new TypeReference<List<Violation>>() {
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable study.rejection: " + e.getOriginalMessage(), e);
        }
        return ErrorInfo.of(ErrorCode.INVALID_SPEC, violations.size() + " violation(s): "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    }
}
