package io.transferlab.tuner.support;

import io.transferlab.testsupport.PostgresResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JDBC for tests: the same SQL a user would type, against the database the service writes to. */
public final class Sql {

    private final String url;
    private final String user;
    private final String password;

    public Sql(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The shared test database of {@link PostgresResource}. */
    public static Sql shared() {
        PostgresResource.Connection c = PostgresResource.connection();
        return new Sql(c.jdbcUrl(), c.user(), c.password());
    }

    /** The same database as another user (credentials in the URL, as embedded PostgreSQL puts them, removed). */
    public Sql as(String otherUser, String otherPassword) {
        String bare = url.replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
        return new Sql(bare, otherUser, otherPassword);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Rows as lists of column values. */
    public List<List<Object>> rows(String sql, Object... args) {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> row : maps(sql, args)) {
            out.add(new ArrayList<>(row.values()));
        }
        return out;
    }

    /** Rows as column-name-to-value maps, in column order. */
    public List<Map<String, Object>> maps(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, args);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Object value(String sql, Object... args) {
        List<List<Object>> rows = rows(sql, args);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    public int update(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, args);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement st, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            st.setObject(i + 1, args[i]);
        }
    }
}
