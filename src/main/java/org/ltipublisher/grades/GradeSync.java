package org.ltipublisher.grades;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.sync.SyncKind;
import org.ltipublisher.sync.SyncWork;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Moodle's grade sync for one resource: each user's current grade (their newest score on each link)
 * that differs from the last one the platform accepted goes back into the outbox. That re-sends what
 * failed once (a user the platform could not grade then, a column deleted meanwhile) without sending
 * unchanged grades again.
 */
@ApplicationScoped
public class GradeSync implements SyncWork {

    private final JdbcTemplate sql;
    private final GradesConfig config;
    private final MeterRegistry registry;
    private final Clock clock;

    public GradeSync(JdbcTemplate sql, GradesConfig config, MeterRegistry registry, Clock clock) {
        this.sql = sql;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public SyncKind kind() {
        return SyncKind.GRADES;
    }

    @Override
    public Duration interval() {
        return config.syncInterval();
    }

    @Override
    public void finished(String result, Duration took) {
        registry.timer("lti.sync.runs", "kind", "grades", "result", result.toLowerCase()).record(took);
    }

    @Override
    public Outcome run(Claim claim) {
        int queued = sql.queryOne("""
                with latest as (
                    select distinct on (s.account_id, s.resource_link_id) s.*
                    from score s
                    where s.resource_id = ? and s.resource_link_id is not null and s.status <> 'SUPERSEDED'
                    order by s.account_id, s.resource_link_id, s.scored_at desc),
                last_sent as (
                    select distinct on (s.account_id, s.resource_link_id) s.account_id, s.resource_link_id,
                           s.score_given, s.grading_progress
                    from score s where s.resource_id = ? and s.status = 'SENT'
                    order by s.account_id, s.resource_link_id, s.scored_at desc),
                queued as (
                    insert into score (id, account_id, resource_id, resource_link_id, platform_issuer, platform_subject,
                        score_given, score_maximum, comment, activity_progress, grading_progress, scored_at, created_at,
                        status, next_attempt_at, origin)
                    select gen_random_uuid(), l.account_id, l.resource_id, l.resource_link_id, l.platform_issuer,
                        l.platform_subject, l.score_given, l.score_maximum, l.comment, l.activity_progress,
                        l.grading_progress, greatest(?, l.scored_at + interval '1 millisecond'), ?, 'PENDING', ?,
                        'GRADE_SYNC'
                    from latest l
                    left join last_sent t on t.account_id = l.account_id and t.resource_link_id = l.resource_link_id
                    where l.status = 'FAILED'
                      and (t.account_id is null or t.score_given is distinct from l.score_given
                           or t.grading_progress is distinct from l.grading_progress)
                    returning 1)
                select count(*) as queued from queued
                """, row -> row.getInt("queued"), claim.resourceId(), claim.resourceId(), clock.instant(), clock.instant(),
                clock.instant()).orElse(0);
        return new Outcome("OK", "{\"queued\":" + queued + "}", null);
    }
}
