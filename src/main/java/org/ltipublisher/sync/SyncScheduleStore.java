package org.ltipublisher.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.sync.SyncWork.Claim;

/**
 * When each resource's grade and member syncs run, shared by all replicas: a replica claims a due
 * schedule row with {@code FOR UPDATE SKIP LOCKED} and a lease, runs it, and sets the next time. A
 * replica that dies mid-run leaves the row to be claimed again once the lease expires.
 */
@ApplicationScoped
public class SyncScheduleStore {

    private final JdbcTemplate sql;
    private final SyncConfig config;
    private final Clock clock;

    public SyncScheduleStore(JdbcTemplate sql, SyncConfig config, Clock clock) {
        this.sql = sql;
        this.config = config;
        this.clock = clock;
    }

    private static String flag(SyncKind kind) {
        return kind == SyncKind.GRADES ? "grade_sync" : "member_sync";
    }

    /**
     * Claims the next due run of this kind, for a resource that still has the sync on; new resources
     * get their first run one interval after they are first seen.
     */
    public Optional<Claim> claimNext(SyncKind kind, String owner, Duration interval) {
        Instant now = clock.instant();
        sql.update("insert into sync_schedule (resource_id, kind, next_run_at) select id, ?, ? from published_resource "
                + "where " + flag(kind) + " and enabled on conflict do nothing", kind.name(), now.plus(interval));
        Optional<UUID> resource = sql.queryOne("""
                update sync_schedule s set lease_owner = ?, lease_expires_at = ?
                where (s.resource_id, s.kind) = (
                    select c.resource_id, c.kind from sync_schedule c join published_resource p on p.id = c.resource_id
                    where c.kind = ? and c.next_run_at <= ? and (c.lease_expires_at is null or c.lease_expires_at < ?)
                      and p.%s and p.enabled
                    order by c.next_run_at limit 1
                    for update of c skip locked)
                returning s.resource_id
                """.formatted(flag(kind)), row -> row.getObject("resource_id", UUID.class), owner, now.plus(config.lease()),
                kind.name(), now, now);
        if (resource.isEmpty()) {
            return Optional.empty();
        }
        UUID runId = UUID.randomUUID();
        sql.update("insert into sync_run (id, resource_id, kind, owner, started_at, result) values (?, ?, ?, ?, ?, 'RUNNING')",
                runId, resource.get(), kind.name(), owner, now);
        return Optional.of(new Claim(runId, resource.get(), kind, owner));
    }

    /** Records the outcome and schedules the next run; fenced by the lease owner. */
    public void finish(Claim claim, String result, String counts, String message, Duration interval) {
        Instant now = clock.instant();
        sql.update("update sync_run set finished_at = ?, result = ?, counts = ?, message = ? where id = ?", now, result,
                counts, message, claim.runId());
        sql.update("""
                update sync_schedule
                set next_run_at = ? + coalesce(interval_minutes * interval '1 minute', ? * interval '1 second'),
                    lease_owner = null, lease_expires_at = null
                where resource_id = ? and kind = ? and lease_owner = ?
                """, now, interval.toSeconds(), claim.resourceId(), claim.kind().name(), claim.owner());
    }

    /** "Sync now": due at once (the next claim of any replica takes it; the claim picks every row due by now), unless a run is under way. */
    public void requestNow(UUID resourceId, SyncKind kind) {
        sql.update("""
                insert into sync_schedule (resource_id, kind, next_run_at) values (?, ?, ?)
                on conflict (resource_id, kind) do update set next_run_at = excluded.next_run_at
                """, resourceId, kind.name(), clock.instant());
    }

    /**
     * Overrides the interval for one resource (null: back to the service-wide setting); the next run
     * moves to one new interval after the last one.
     */
    public void setInterval(UUID resourceId, SyncKind kind, Integer minutes, Duration serviceDefault) {
        Instant now = clock.instant();
        sql.update("""
                insert into sync_schedule (resource_id, kind, next_run_at, interval_minutes)
                values (?, ?, ? + coalesce(? * interval '1 minute', ? * interval '1 second'), ?)
                on conflict (resource_id, kind) do update set interval_minutes = excluded.interval_minutes,
                    next_run_at = coalesce((select max(r.finished_at) from sync_run r
                                            where r.resource_id = excluded.resource_id and r.kind = excluded.kind), ?)
                                  + coalesce(excluded.interval_minutes * interval '1 minute', ? * interval '1 second')
                """, resourceId, kind.name(), now, minutes, serviceDefault.toSeconds(), minutes, now,
                serviceDefault.toSeconds());
    }

    public List<SyncRunView> status(UUID resourceId) {
        return sql.list("""
                select k.kind, r.id as run_id, r.started_at, r.finished_at, r.result, r.counts, r.message, s.next_run_at,
                       case when s.lease_expires_at > now() then s.lease_owner end as running_on, s.interval_minutes
                from (values ('GRADES'), ('MEMBERS')) k(kind)
                left join sync_schedule s on s.resource_id = ? and s.kind = k.kind
                left join lateral (select * from sync_run x where x.resource_id = ? and x.kind = k.kind
                                   order by x.started_at desc limit 1) r on true
                order by k.kind
                """, row -> new SyncRunView(row.getString("kind").toLowerCase(), row.getObject("run_id", UUID.class),
                instant(row.getObject("started_at", OffsetDateTime.class)),
                instant(row.getObject("finished_at", OffsetDateTime.class)),
                row.getString("result") == null ? null : row.getString("result").toLowerCase(), row.getString("counts"),
                row.getString("message"), instant(row.getObject("next_run_at", OffsetDateTime.class)),
                row.getString("running_on"),
                row.getObject("interval_minutes") == null ? null : row.getInt("interval_minutes")), resourceId, resourceId);
    }

    /** A due time of one resource's sync, as the dashboard lists them; {@code runningOn} while a replica runs it. */
    public record Due(UUID resourceId, SyncKind kind, Instant nextRunAt, String runningOn) {
    }

    /** A run that ended with errors. */
    public record Failed(UUID resourceId, SyncKind kind, String result, Instant finishedAt, String message) {
    }

    /** The next {@code limit} due runs of resources that have the sync on, soonest first. */
    public List<Due> upcoming(int limit) {
        return sql.list("""
                select s.resource_id, s.kind, s.next_run_at,
                       case when s.lease_expires_at > now() then s.lease_owner end as running_on
                from sync_schedule s join published_resource p on p.id = s.resource_id
                where p.enabled and ((s.kind = 'GRADES' and p.grade_sync) or (s.kind = 'MEMBERS' and p.member_sync))
                order by s.next_run_at, s.resource_id, s.kind limit ?
                """, row -> new Due(row.getObject("resource_id", UUID.class), SyncKind.valueOf(row.getString("kind")),
                instant(row.getObject("next_run_at", OffsetDateTime.class)), row.getString("running_on")), limit);
    }

    /** Runs finished since {@code since} that failed or were partial, latest first. */
    public List<Failed> failedSince(Instant since, int limit) {
        return sql.list("""
                select resource_id, kind, result, finished_at, message from sync_run
                where finished_at >= ? and result in ('FAILED', 'PARTIAL')
                order by finished_at desc limit ?
                """, row -> new Failed(row.getObject("resource_id", UUID.class), SyncKind.valueOf(row.getString("kind")),
                row.getString("result").toLowerCase(), instant(row.getObject("finished_at", OffsetDateTime.class)),
                row.getString("message")), since, limit);
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
