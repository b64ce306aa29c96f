package org.ltipublisher.admission;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.web.Rejection;

/**
 * Where every launch's nonce is spent, exactly once, by a unique insert in the launch's own transaction (or,
 * for a returning user, in the launch's one statement, see {@link #spendingCte}), so a refused launch rolls
 * back and leaves its nonce unused. LTI 1.3 id_token nonces (Security Framework
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
     * An LTI 1.3 id_token's nonce, not spent yet, kept once spent while the id_token could still be accepted:
     * after that its age refuses the replay anyway.
     */
    public LaunchNonce forIdToken(String nonce, long idTokenExpiresAt) {
        Instant byAge = clock.instant().plus(config.launch().maxIdTokenAge());
        Instant byExp = Instant.ofEpochSecond(idTokenExpiresAt);
        return new LaunchNonce(nonce, (byExp.isAfter(byAge) ? byExp : byAge).plus(config.launch().clockSkew()));
    }

    /** Spends the nonce in a statement of its own (nothing when the launch's one statement spent it already). */
    public void consume(LaunchNonce nonce) {
        if (nonce.spent) {
            return;
        }
        int inserted = sql.update("insert into lti_nonce (value, expires_at) values (?, ?) on conflict do nothing",
                nonce.value, nonce.keepUntil);
        spentInStatement(nonce, inserted > 0);
    }

    /**
     * The data-modifying CTE that spends the nonce inside another statement (a returning user's launch):
     * {@code name} returns one row when this statement spent it, none when it was spent before (or {@code from}
     * yields no row: then nothing is spent). Its parameters are {@code :nonce} and {@code :nonceKeepUntil}
     * ({@link #bind}); the statement's other writes are gated on it returning its row, so a replay writes nothing.
     */
    static String spendingCte(String name, String from) {
        return name + " as (\n    insert into lti_nonce (value, expires_at) select :nonce, :nonceKeepUntil " + from
                + "\n    on conflict do nothing returning 1\n)";
    }

    /** The parameters of {@link #spendingCte}. */
    static NamedSql.Params bind(LaunchNonce nonce, NamedSql.Params params) {
        return params.set("nonce", nonce.value).set("nonceKeepUntil", nonce.keepUntil);
    }

    /** After the statement that tried to spend it: refuses a replayed launch, else the nonce is spent. */
    void spentInStatement(LaunchNonce nonce, boolean inserted) {
        if (!inserted) {
            throw Rejection.badRequest("nonce_used", "nonce already used: this launch was replayed; "
                    + "start it again from the platform");
        }
        nonce.spent = true;
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
