package org.ltipublisher.admission;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * LTI 1.3 nonces ({@link NonceStore#consume}) whose id_token can no longer be accepted: {@code expires_at} is its
 * exp or maximum age plus the clock skew, after which the validator refuses the token as expired (Security
 * Framework §5.1.3 step 8), so the replay is refused without the nonce.
 */
@ApplicationScoped
class SpentIdTokenNonces implements ExpiredRows {

    private final JdbcTemplate sql;

    SpentIdTokenNonces(JdbcTemplate sql) {
        this.sql = sql;
    }

    @Override
    public String table() {
        return "lti_nonce";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        return sql.update("""
                delete from lti_nonce where value in (
                    select value from lti_nonce where expires_at < ? limit ?)
                  and expires_at < ?
                """, cutoffs.now(), limit, cutoffs.now());
    }
}
