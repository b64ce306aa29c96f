package org.ltipublisher.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.PgBouncer;
import org.ltipublisher.testing.WithPostgres;
import org.postgresql.PGConnection;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What a transaction pooler (PgBouncer in transaction mode, CloudNativePG's Pooler) takes away: a client's next
 * transaction may run on another server connection. So locks are transaction-scoped and statements are not
 * prepared server-side. Run through PgBouncer with {@code -Dtest.pgbouncer=true} (CI does); directly, the
 * same checks hold and the pooler-only one is skipped.
 */
@QuarkusTest
class PooledConnectionsTest extends WithPostgres {

    private static final int THREADS = 16;

    @Inject
    DataSource db;

    @Inject
    JdbcTemplate sql;

    @Inject
    AdvisoryLocks locks;

    /** Injected by the suite's database resource when it runs through PgBouncer. */
    PgBouncer pgBouncer;

    @Test
    @EnabledIfSystemProperty(named = PgBouncer.ENABLED_PROPERTY, matches = "true")
    void theServiceAndItsMigrationsGoThroughPgBouncerInTransactionModeWithoutServerSidePreparedStatements()
            throws Exception {
        assertNotNull(pgBouncer, "the database resource injects the PgBouncer it started");
        try (Connection connection = db.getConnection()) {
            String url = connection.getMetaData().getURL();
            assertTrue(url.contains(":" + pgBouncer.port() + "/"), "the service's URL is the pooler's: " + url);
            assertEquals(0, connection.unwrap(PGConnection.class).getPrepareThreshold(),
                    "lti.db.prepare-threshold=0 reaches pgjdbc");
        }
        // Transaction pooling: twice as many open client connections as server connections all answer, on at most
        // POOL_SIZE backends (in session mode the extra ones would wait for a server connection of their own).
        List<Connection> clients = new ArrayList<>();
        try {
            Set<Long> backends = new HashSet<>();
            for (int i = 0; i < 2 * PgBouncer.POOL_SIZE; i++) {
                Connection client = db.getConnection();
                clients.add(client);
                try (PreparedStatement pid = client.prepareStatement("select pg_backend_pid() as pid");
                        ResultSet row = pid.executeQuery()) {
                    row.next();
                    backends.add(row.getLong("pid"));
                }
            }
            assertTrue(backends.size() <= PgBouncer.POOL_SIZE,
                    clients.size() + " open clients ran on " + backends.size() + " server connections");
        } finally {
            for (Connection client : clients) {
                client.close();
            }
        }
        // Flyway migrated through the pooler at start (its lock is pg_try_advisory_xact_lock, see README)
        assertEquals(0, DbCounts.scalar(db, "select count(*) from flyway_schema_history where not success"));
        assertTrue(DbCounts.scalar(db, "select count(*) from flyway_schema_history where success") > 0);
    }

    /**
     * The same statements, many times over, from more connections than the pooler has server connections: with
     * pgjdbc's default prepareThreshold a statement becomes the named S_n on one server connection, and a later
     * transaction on another one fails with "prepared statement S_n does not exist".
     */
    @Test
    void repeatedStatementsFromManyConnectionsAllSucceed() throws Exception {
        String marker = "pooled-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < 25; i++) {
                        int round = i;
                        // a statement of its own transaction each time (autocommit), and one inside a transaction
                        ok += sql.queryOne("select ?::text || ? as value", row -> row.getString("value"), marker,
                                thread * 1000 + i).map(v -> 1).orElse(0);
                        ok += QuarkusTransaction.requiringNew().call(() -> sql.queryOne(
                                "select length(?::text) + ? as value", row -> row.getInt("value"), marker, round)
                                .map(v -> 1).orElse(0));
                    }
                    return ok;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(60, TimeUnit.SECONDS);
            }
            assertEquals(THREADS * 50, total);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * db.AdvisoryLocks keeps replicas in turn only while the lock is transaction-scoped: a session-level lock would
     * stay with the server connection after the client's transaction, held for whichever client runs there next.
     */
    @Test
    void advisoryLocksKeepTransactionsInTurnAndEndWithThem() throws Exception {
        String name = "pooled-lock-" + UUID.randomUUID();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger turns = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 4; i++) {
                        QuarkusTransaction.requiringNew().run(() -> {
                            locks.lockForTransaction(name);
                            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            // a statement while holding the lock, so the turn spans a round trip
                            sql.queryOne("select pg_sleep(0.005)::text as slept", row -> row.getString("slept"));
                            inside.decrementAndGet();
                            turns.incrementAndGet();
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(THREADS * 4, turns.get());
        assertEquals(1, mostInside.get(), "one transaction at a time held the lock");
        // a bigint advisory key shows in pg_locks as classid (high half) and objid (low half), objsubid 1
        assertEquals(0, DbCounts.scalar(db, "select count(*) from pg_locks where locktype = 'advisory' and objsubid = 1"
                + " and ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0)", name),
                "no advisory lock outlives its transaction on a server connection");
    }
}
