package io.transferlab.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JDBC for tests: the same SQL a user would type, against the database a service writes to. */
public final class Sql {

    private final String url;
    private final String user;
    private final String password;

    public Sql(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public static Sql of(PostgresResource.Connection c) {
        return new Sql(c.jdbcUrl(), c.user(), c.password());
    }

    /** The shared test database of {@link PostgresResource}. */
    public static Sql shared() {
        return of(PostgresResource.connection());
    }

    /** The same database as another user (credentials in the URL, as embedded PostgreSQL puts them, removed). */
    public Sql as(String otherUser, String otherPassword) {
        String bare = url.replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
        return new Sql(bare, otherUser, otherPassword);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Rows as lists of column values, {@code args} bound to the {@code ?} in order. */
    public List<List<Object>> rows(String sql, Object... args) {
        try (Connection c = connect()) {
            return query(c, sql, args);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Rows as column-name-to-value maps, in column order. */
    public List<Map<String, Object>> maps(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement st = prepare(c, sql, args); ResultSet rs = st.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The first column of the first row; null when there is no row. */
    public Object value(String sql, Object... args) {
        List<List<Object>> rows = rows(sql, args);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    public int update(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement st = prepare(c, sql, args)) {
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Rows as lists of column values over a connection the caller holds (e.g. as a particular login). */
    public static List<List<Object>> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, args); ResultSet rs = st.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            return st;
        } catch (SQLException | RuntimeException e) {
            st.close();
            throw e;
        }
    }
}
