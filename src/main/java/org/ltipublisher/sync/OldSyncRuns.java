package org.ltipublisher.sync;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * Sync runs ({@link SyncScheduleStore#finish}) started before the retention ({@code lti.retention.sync-runs}) that
 * are not among the newest {@code lti.retention.sync-runs-kept} of their resource and kind, which the admin API
 * and the instructor view show. Their {@code nrps_removal} rows go with them (on delete cascade).
 */
@ApplicationScoped
class OldSyncRuns implements ExpiredRows {

    private final JdbcTemplate sql;

    OldSyncRuns(JdbcTemplate sql) {
        this.sql = sql;
    }

    @Override
    public String table() {
        return "sync_run";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        return sql.update("""
                delete from sync_run where id in (
                    select r.id from sync_run r
                    where r.started_at < ?
                      and r.started_at < (select n.started_at from sync_run n
                                          where n.resource_id = r.resource_id and n.kind = r.kind
                                          order by n.started_at desc offset ? limit 1)
                    limit ?)
                  and started_at < ?
                """, cutoffs.syncRunsBefore(), cutoffs.syncRunsKept() - 1, limit,
                cutoffs.syncRunsBefore());
    }
}
