package org.ltipublisher.legacy;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.db.Sql;
import org.ltipublisher.web.Rejection;

import io.quarkus.scheduler.Scheduled;

/**
 * OAuth 1.0a nonces per consumer (RFC 5849 §3.3), consumed by a unique insert in the launch's own
 * transaction: a launch refused later rolls back and leaves its nonce unused.
 */
@ApplicationScoped
public class Lti11NonceStore {

    private final Sql sql;
    private final Clock clock;

    public Lti11NonceStore(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    public void consume(UUID consumerId, String nonce, Instant keepUntil) {
        int inserted = sql.update("insert into lti11_nonce (consumer_id, nonce, expires_at) values (?, ?, ?) "
                + "on conflict do nothing", consumerId, nonce, keepUntil);
        if (inserted == 0) {
            throw Rejection.unauthorized("nonce_used", "oauth_nonce '" + nonce + "' was already used with this "
                    + "consumer key: the launch was replayed; start it again from the LMS");
        }
    }

    /** A nonce past its expiry can no longer be replayed: its timestamp is outside the window by then. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeExpired() {
        sql.update("delete from lti11_nonce where expires_at < ?", clock.instant());
    }
}
