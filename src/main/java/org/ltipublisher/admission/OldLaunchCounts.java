package org.ltipublisher.admission;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * Hourly launch counts ({@link LaunchCountStore}) of hours before the retention ({@code lti.retention.launch-counts}):
 * 24 rows a day per outcome and reason, a range of the primary key, which leads with {@code hour}.
 */
@ApplicationScoped
class OldLaunchCounts implements ExpiredRows {

    private final JdbcTemplate sql;

    OldLaunchCounts(JdbcTemplate sql) {
        this.sql = sql;
    }

    @Override
    public String table() {
        return "launch_count";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        return sql.update("""
                delete from launch_count where (hour, outcome, reason) in (
                    select hour, outcome, reason from launch_count where hour < ? order by hour limit ?)
                """, cutoffs.launchCountsBefore(), limit);
    }
}
