package org.ltipublisher.console;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * The console's setup link ({@link ConsoleAdminStore#offerSetupToken}) once it expired or was used longer ago than
 * the grace ({@code lti.retention.spent-links}), so no stale token hash stays around. A single row (id = 1): one
 * statement, whatever the batch size.
 */
@ApplicationScoped
class SpentSetupLink implements ExpiredRows {

    private final JdbcTemplate sql;

    SpentSetupLink(JdbcTemplate sql) {
        this.sql = sql;
    }

    @Override
    public String table() {
        return "console_setup_link";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        return sql.update("delete from console_setup_link where expires_at < ? or used_at < ?",
                cutoffs.spentLinksBefore(), cutoffs.spentLinksBefore());
    }
}
