package org.ltipublisher.admission;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.web.Rejection;

/**
 * Where every launch's nonce is spent, exactly once, by a unique insert in the launch's own transaction, so
 * a refused launch rolls back and leaves its nonce unused. LTI 1.3 id_token nonces (Security Framework
 * §5.1.3 step 9: {@code IdTokenValidator} only compares it with the login's) are unique per tool; LTI 1.1
 * OAuth nonces (RFC 5849 §3.3) per consumer, so they keep their own table. Once past {@code expires_at} a
 * nonce can no longer be replayed (its token or timestamp is refused first); {@link SpentIdTokenNonces} and
 * {@link SpentOAuthNonces} delete it then, in the leased purge.
 */
@ApplicationScoped
public class NonceStore {

    private final JdbcTemplate sql;
    private final LtiConfig config;
    private final Clock clock;

    public NonceStore(JdbcTemplate sql, LtiConfig config, Clock clock) {
        this.sql = sql;
        this.config = config;
        this.clock = clock;
    }

    /**
     * An LTI 1.3 id_token's nonce, kept while the id_token could still be accepted: after that its age
     * refuses the replay anyway.
     */
    public void consume(String nonce, long idTokenExpiresAt) {
        Instant byAge = clock.instant().plus(config.launch().maxIdTokenAge());
        Instant byExp = Instant.ofEpochSecond(idTokenExpiresAt);
        Instant keepUntil = (byExp.isAfter(byAge) ? byExp : byAge).plus(config.launch().clockSkew());
        int inserted = sql.update("insert into lti_nonce (value, expires_at) values (?, ?) on conflict do nothing",
                nonce, keepUntil);
        if (inserted == 0) {
            throw Rejection.badRequest("nonce_used", "nonce already used: this launch was replayed; "
                    + "start it again from the platform");
        }
    }

    /**
     * An LTI 1.1 launch's oauth_nonce, unique per consumer, kept while its timestamp is acceptable: after that
     * the timestamp window refuses the replay anyway.
     */
    public void consumeOAuth(UUID consumerId, String nonce, long oauthTimestamp) {
        Instant stamped = Instant.ofEpochSecond(oauthTimestamp);
        Instant now = clock.instant();
        Instant keepUntil = (stamped.isAfter(now) ? stamped : now).plus(config.legacy().timestampWindow())
                .plusSeconds(1);
        int inserted = sql.update("insert into lti11_nonce (consumer_id, nonce, expires_at) values (?, ?, ?) "
                + "on conflict do nothing", consumerId, nonce, keepUntil);
        if (inserted == 0) {
            throw Rejection.unauthorized("nonce_used", "oauth_nonce '" + nonce + "' was already used with this "
                    + "consumer key: the launch was replayed; start it again from the LMS");
        }
    }
}
