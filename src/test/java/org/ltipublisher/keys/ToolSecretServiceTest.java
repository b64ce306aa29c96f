package org.ltipublisher.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Tool secrets come from memory once the service has started: a launch signs tokens inside its transaction, and a
 * load there would take a second connection while holding the first (starved behind PgBouncer, README
 * "Behind PgBouncer").
 */
@QuarkusTest
class ToolSecretServiceTest extends WithPostgres {

    @Inject
    ToolSecretService secrets;

    @Inject
    DataSource db;

    @Test
    void everySecretIsServedWithoutTouchingTheDatabase() throws Exception {
        assertEquals((long) TokenPurpose.values().length, DbCounts.scalar(db, "select count(*) from tool_secret"));
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (Connection blocker = db.getConnection()) {
            // while this transaction holds the table, any statement on tool_secret waits for its end
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("lock table tool_secret in access exclusive mode");
            }
            Future<Integer> read = reader.submit(() -> {
                int bytes = 0;
                for (TokenPurpose purpose : TokenPurpose.values()) {
                    bytes += secrets.secret(purpose).length;
                }
                return bytes;
            });
            try {
                assertEquals(32 * TokenPurpose.values().length, read.get(20, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                fail("a secret was read from the database after start (it waited on the locked tool_secret table)");
            } finally {
                blocker.rollback();
            }
        } finally {
            reader.shutdownNow();
        }
    }
}
