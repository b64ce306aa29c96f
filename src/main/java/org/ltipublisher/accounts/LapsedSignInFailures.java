package org.ltipublisher.accounts;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * Sign-in failure counts ({@link SignInThrottle}) whose window ({@code lti.accounts.sign-in-window}) has run out:
 * they limit nobody any more, and a new failure starts a new window anyway.
 */
@ApplicationScoped
class LapsedSignInFailures implements ExpiredRows {

    private final JdbcTemplate sql;
    private final LtiConfig config;

    LapsedSignInFailures(JdbcTemplate sql, LtiConfig config) {
        this.sql = sql;
        this.config = config;
    }

    @Override
    public String table() {
        return "sign_in_failure";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        Instant windowStartedBefore = cutoffs.now().minus(config.accounts().signInWindow());
        return sql.update("""
                delete from sign_in_failure where throttle_key in (
                    select throttle_key from sign_in_failure where window_started_at < ? limit ?)
                  and window_started_at < ?
                """, windowStartedBefore, limit, windowStartedBefore);
    }
}
