package org.ltipublisher.db;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Named leases in {@code job_lease}: one holder at a time for a piece of background work, across replicas.
 * Every call is one autocommitted statement, so a lease needs no session state and works behind PgBouncer in
 * transaction mode. A holder that dies stops renewing, and its lease runs out at {@code until}; then the next
 * claim takes it over. Times come from the caller (the application {@code Clock}), not from the database.
 */
@ApplicationScoped
public class JobLeases {

    private final JdbcTemplate sql;

    public JobLeases(JdbcTemplate sql) {
        this.sql = sql;
    }

    /**
     * Takes the lease {@code name} for {@code holder} until {@code until} if nobody holds it or its holder's time
     * ran out before {@code now}. Of concurrent claims exactly one wins: the upsert locks the row.
     */
    public boolean claim(String name, String holder, Instant now, Instant until) {
        return sql.update("""
                insert into job_lease (name, holder, until) values (?, ?, ?)
                on conflict (name) do update set holder = excluded.holder, until = excluded.until
                where job_lease.until < ?
                """, name, holder, until, now) == 1;
    }

    /** Extends the lease while its holder works; false when another holder has taken it over (stop working). */
    public boolean renew(String name, String holder, Instant until) {
        return sql.update("update job_lease set until = ? where name = ? and holder = ?", until, name, holder) == 1;
    }

    /**
     * Ends the holder's work: the lease stays taken until {@code until} (the next run's time, so the replicas
     * together run the job once per interval), then any replica may claim it.
     */
    public void release(String name, String holder, Instant until) {
        sql.update("update job_lease set until = ? where name = ? and holder = ?", until, name, holder);
    }
}
