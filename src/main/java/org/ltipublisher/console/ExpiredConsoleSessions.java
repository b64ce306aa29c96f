package org.ltipublisher.console;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * Console sessions ({@link ConsoleSessions}) past their absolute lifetime ({@code lti.console.session-max-age}) or
 * idle too long ({@code lti.console.session-idle-timeout}): they sign nobody in any more.
 */
@ApplicationScoped
class ExpiredConsoleSessions implements ExpiredRows {

    private final JdbcTemplate sql;
    private final ConsoleConfig config;

    ExpiredConsoleSessions(JdbcTemplate sql, ConsoleConfig config) {
        this.sql = sql;
        this.config = config;
    }

    @Override
    public String table() {
        return "console_session";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        Instant now = cutoffs.now();
        Instant idleSince = now.minus(config.sessionIdleTimeout());
        return sql.update("""
                delete from console_session where id_sha256 in (
                    select id_sha256 from console_session where expires_at < ? or last_seen_at < ? limit ?)
                  and (expires_at < ? or last_seen_at < ?)
                """, now, idleSince, limit, now, idleSince);
    }
}
