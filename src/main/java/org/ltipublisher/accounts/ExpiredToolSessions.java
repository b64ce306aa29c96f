package org.ltipublisher.accounts;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * Local sign-ins ({@link ToolSession}) past {@code expires_at} ({@code lti.accounts.session-ttl}): they sign nobody
 * in any more, so deleting them keeps the table as small as the signed-in users.
 */
@ApplicationScoped
class ExpiredToolSessions implements ExpiredRows {

    private final JdbcTemplate sql;

    ExpiredToolSessions(JdbcTemplate sql) {
        this.sql = sql;
    }

    @Override
    public String table() {
        return "tool_session";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        return sql.update("""
                delete from tool_session where id_sha256 in (
                    select id_sha256 from tool_session where expires_at < ? limit ?)
                  and expires_at < ?
                """, cutoffs.now(), limit, cutoffs.now());
    }
}
