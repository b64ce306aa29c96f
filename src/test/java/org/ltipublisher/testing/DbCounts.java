package org.ltipublisher.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/** Row counts of every table a launch may write: "a rejected launch stores nothing" is checked against these. */
public record DbCounts(Map<String, Long> rows) {

    private static final List<String> TABLES = List.of("account", "platform_user", "enrolment", "lti_nonce",
            "lti_context", "resource_link", "deployment", "score", "lti11_nonce", "lti11_outcome_target", "lti_consumer");

    public static DbCounts of(DataSource dataSource) {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet result = statement.executeQuery("select count(*) from " + table)) {
                    result.next();
                    rows.put(table, result.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new DbCounts(rows);
    }

    public static long scalar(DataSource dataSource, String sql, Object... params) {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(DataSource dataSource, String sql, Object... params) {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? result.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
