package org.ltipublisher.admission;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * LTI 1.1 OAuth nonces ({@link NonceStore#consumeOAuth}) whose timestamp is outside the window (RFC 5849 §3.3):
 * past {@code expires_at} the launch's timestamp refuses its replay without the nonce.
 */
@ApplicationScoped
class SpentOAuthNonces implements ExpiredRows {

    private final JdbcTemplate sql;

    SpentOAuthNonces(JdbcTemplate sql) {
        this.sql = sql;
    }

    @Override
    public String table() {
        return "lti11_nonce";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        return sql.update("""
                delete from lti11_nonce where (consumer_id, nonce) in (
                    select consumer_id, nonce from lti11_nonce where expires_at < ? limit ?)
                  and expires_at < ?
                """, cutoffs.now(), limit, cutoffs.now());
    }
}
