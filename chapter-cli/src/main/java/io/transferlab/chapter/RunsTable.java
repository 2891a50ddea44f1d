package io.transferlab.chapter;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the runs table the way a user would: SQL against the tuner's {@code ls_runs} view. */
final class RunsTable {

    /** A query's column names and rows, values as text. */
    record Result(List<String> columns, List<List<String>> rows) {
    }

    private final String jdbcUrl;
    private final String user;
    private final String password;

    RunsTable(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    static final String STUDY_RUNS = """
            SELECT study_rank, run_id, flag_dense_units, flag_dropout, flag_batch_size, flag_optimizer,
                   round(metric_loss::numeric, 4) AS metric_loss, round(metric_accuracy::numeric, 4) AS metric_accuracy,
                   round(metric_val_loss::numeric, 4) AS metric_val_loss,
                   round(metric_val_accuracy::numeric, 4) AS metric_val_accuracy,
                   round(metric_test_accuracy::numeric, 4) AS metric_test_accuracy
            FROM ls_runs WHERE study_id = ? ORDER BY study_rank NULLS LAST, trial_index""";

    static final String RUNS = """
            SELECT run_id, status, flag_backbone, flag_optimizer, flag_dense_units, flag_train_size,
                   round(metric_val_accuracy::numeric, 4) AS metric_val_accuracy,
                   round(metric_test_accuracy::numeric, 4) AS metric_test_accuracy
            FROM ls_runs WHERE run_id = ANY (?) ORDER BY submitted_at""";

    Result studyRuns(String studyId) throws SQLException {
        return query(STUDY_RUNS, studyId);
    }

    Result runs(List<String> runIds) throws SQLException {
        try (Connection c = connect()) {
            return query(c, RUNS, c.createArrayOf("text", runIds.toArray()));
        }
    }

    private Result query(String sql, Object arg) throws SQLException {
        try (Connection c = connect()) {
            return query(c, sql, arg);
        }
    }

    private static Result query(Connection c, String sql, Object arg) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        Object v = rs.getObject(i);
                        row.add(v == null ? "" : v.toString());
                    }
                    rows.add(row);
                }
                return new Result(columns, rows);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** Fixed-width text table, as psql prints it. */
    static String format(Result r) {
        int[] widths = new int[r.columns().size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = r.columns().get(i).length();
            for (List<String> row : r.rows()) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, r.columns(), widths);
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        sb.append('\n');
        r.rows().forEach(row -> appendRow(sb, row, widths));
        sb.append('(').append(r.rows().size()).append(r.rows().size() == 1 ? " row)" : " rows)").append('\n');
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] widths) {
        for (int i = 0; i < widths.length; i++) {
            sb.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        sb.append('\n');
    }
}
