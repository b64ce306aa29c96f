package org.ltipublisher.db;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * PostgreSQL transaction-level advisory locks: replicas (and threads) take turns on a named piece of work
 * without a lock table. Plain JDBC: a Hibernate native query resolves the void result type by throwing
 * and catching an exception on every call.
 */
@ApplicationScoped
public class AdvisoryLocks {

    private final JdbcTemplate sql;

    public AdvisoryLocks(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** Blocks until this transaction holds the lock named {@code name}; released at commit or rollback. */
    public void lockForTransaction(String name) {
        sql.queryOne("select 1 as locked from pg_advisory_xact_lock(hashtextextended(?, 0))", row -> row.getInt("locked"), name);
    }
}
