package org.ltipublisher.launch;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.db.Sql;
import org.ltipublisher.web.Rejection;

import io.quarkus.scheduler.Scheduled;

/**
 * Consumes id_token nonces exactly once (Security Framework §5.1.3 step 9) with a unique insert in the
 * launch's own transaction, so a refused launch leaves its nonce unused.
 */
@ApplicationScoped
public class NonceStore {

    private final Sql sql;
    private final Clock clock;

    public NonceStore(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    public void consume(String nonce, Instant keepUntil) {
        int inserted = sql.update("insert into lti_nonce (value, expires_at) values (?, ?) on conflict do nothing",
                nonce, keepUntil);
        if (inserted == 0) {
            throw replayed();
        }
    }

    static Rejection replayed() {
        return Rejection.badRequest("nonce_used", "nonce already used: this launch was replayed; "
                + "start it again from the platform");
    }

    /** Expired nonces can no longer be replayed (their id_token and state are expired too). */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeExpired() {
        sql.update("delete from lti_nonce where expires_at < ?", clock.instant());
    }
}
