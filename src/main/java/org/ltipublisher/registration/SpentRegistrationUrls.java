package org.ltipublisher.registration;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * Dynamic registration URLs ({@link RegistrationUrls}) that expired or were used longer ago than the grace
 * ({@code lti.retention.spent-links}); until then an administrator opening an old one still gets "used" or
 * "expired" rather than "unknown".
 */
@ApplicationScoped
class SpentRegistrationUrls implements ExpiredRows {

    private final JdbcTemplate sql;

    SpentRegistrationUrls(JdbcTemplate sql) {
        this.sql = sql;
    }

    @Override
    public String table() {
        return "registration_url";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        return sql.update("""
                delete from registration_url where id in (
                    select id from registration_url where expires_at < ? or used_at < ? limit ?)
                  and (expires_at < ? or used_at < ?)
                """, cutoffs.spentLinksBefore(), cutoffs.spentLinksBefore(), limit, cutoffs.spentLinksBefore(),
                cutoffs.spentLinksBefore());
    }
}
