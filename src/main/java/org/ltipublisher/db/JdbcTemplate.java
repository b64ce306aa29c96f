package org.ltipublisher.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The JDBC template every {@code *Store} uses: one statement per call, positional parameters, rows mapped by
 * column name, for the SQL JPA cannot express (upserts with {@code INSERT … ON CONFLICT … RETURNING}, CTEs,
 * {@code FOR UPDATE SKIP LOCKED}). Inside a transaction Agroal hands out the connection Hibernate uses, so both see the
 * same uncommitted rows.
 */
@ApplicationScoped
public class JdbcTemplate {

    private final DataSource dataSource;

    public JdbcTemplate(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the number of rows it touched. */
    public int update(String sql, Object... params) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StatementFailure(sql, e);
        }
    }

    /** The first row of a query (or of an INSERT … RETURNING), if any. */
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, params);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.ofNullable(mapper.map(rows)) : Optional.empty();
        } catch (SQLException e) {
            throw new StatementFailure(sql, e);
        }
    }

    /** Every row of a query (or of an UPDATE … RETURNING). */
    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, params);
                ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        } catch (SQLException e) {
            throw new StatementFailure(sql, e);
        }
    }

    /** The {@code id} column of an INSERT/UPDATE … RETURNING id. */
    public UUID returningId(String sql, Object... params) {
        return queryOne(sql, row -> row.getObject("id", UUID.class), params)
                .orElseThrow(() -> new IllegalStateException("statement returned no id: " + sql));
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object value = params[i] instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : params[i];
            statement.setObject(i + 1, value);
        }
        return statement;
    }

    /** A failed statement; carries the SQLState so callers can tell a unique violation from other failures. */
    public static final class StatementFailure extends RuntimeException {
        public StatementFailure(String sql, SQLException cause) {
            super("SQL failed (" + cause.getSQLState() + "): " + sql, cause);
        }

        public boolean isUniqueViolation() {
            return getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
        }
    }
}
