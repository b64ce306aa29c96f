package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

/**
 * The SQL of aggregated grades: learners' leaf scores, the links a learner reached a node through, the
 * debounced aggregate row per learner and link in the score outbox, and what each aggregate came from.
 */
@ApplicationScoped
public class AggregateStore {

    /** A graded leaf under a node, with this learner's score on it if any. */
    public record LeafRow(UUID leafId, BigDecimal weight, BigDecimal maxGrade, UUID leafScoreId, BigDecimal scoreGiven,
            BigDecimal scoreMaximum) {
    }

    /** A platform link of one of the nodes, and who the learner is on that platform. */
    public record ReachedLink(UUID linkRowId, UUID resourceId, String issuer, String subject) {
    }

    /** One leaf score an aggregate was computed from. */
    public record Contribution(UUID leafId, UUID leafScoreId, BigDecimal scoreGiven, BigDecimal scoreMaximum,
            BigDecimal weight) {
    }

    /** An aggregated grade ready for the outbox. */
    public record Aggregate(UUID accountId, UUID resourceId, UUID linkRowId, String issuer, String subject,
            BigDecimal scoreGiven, BigDecimal scoreMaximum, String activityProgress, String gradingProgress,
            List<Contribution> contributions) {
    }

    /** A node of a launched subtree, in tree order, with the learner's score when it is a scored leaf. */
    public record SubtreeNode(UUID id, String title, String kind, BigDecimal maxGrade, int depth, boolean leaf,
            BigDecimal scoreGiven) {
    }

    private final JdbcTemplate sql;

    public AggregateStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** Keeps the newest score of this learner on this leaf; a new id each time, so a contribution names a value. */
    public UUID upsertLeafScore(UUID accountId, UUID leafId, BigDecimal given, BigDecimal maximum, Instant at) {
        return sql.returningId("""
                insert into leaf_score (id, account_id, resource_id, score_given, score_maximum, scored_at)
                values (?, ?, ?, ?, ?, ?)
                on conflict (account_id, resource_id) do update set id = excluded.id,
                    score_given = excluded.score_given, score_maximum = excluded.score_maximum,
                    scored_at = excluded.scored_at
                returning id
                """, UUID.randomUUID(), accountId, leafId, given, maximum, at);
    }

    /** The leaves under {@code nodeId} (the node itself when it has no children) and this learner's scores. */
    public List<LeafRow> leaves(UUID nodeId, UUID accountId) {
        return sql.list("""
                with recursive sub(id, depth) as (
                    select id, 0 from published_resource where id = ?
                    union all
                    select p.id, sub.depth + 1 from published_resource p join sub on p.parent_id = sub.id
                    where sub.depth < 64)
                select p.id as leaf_id, p.weight, p.max_grade, ls.id as leaf_score_id, ls.score_given, ls.score_maximum
                from sub join published_resource p on p.id = sub.id
                left join leaf_score ls on ls.resource_id = p.id and ls.account_id = ?
                where not exists (select 1 from published_resource c where c.parent_id = p.id)
                order by p.id
                """, row -> new LeafRow(row.getObject("leaf_id", UUID.class), row.getBigDecimal("weight"),
                        row.getBigDecimal("max_grade"), row.getObject("leaf_score_id", UUID.class),
                        row.getBigDecimal("score_given"), row.getBigDecimal("score_maximum")), nodeId, accountId);
    }

    /**
     * The LTI 1.3 links of this resource the learner reached: the learner is enrolled in the link's context
     * for the resource (a launch enrols), and is a user of the link's platform.
     */
    public List<ReachedLink> reachedLinks(UUID accountId, UUID resourceId) {
        return sql.list("""
                select distinct on (rl.id) rl.id as link_row_id, rl.resource_id, pu.issuer, pu.subject
                from resource_link rl
                join deployment d on d.id = rl.deployment_id
                join registration r on r.id = d.registration_id
                join platform_user pu on pu.issuer = r.issuer and pu.account_id = ?
                where rl.resource_id = ?
                  and exists (select 1 from enrolment e where e.account_id = ? and e.resource_id = rl.resource_id
                      and e.context_id is not distinct from rl.context_id and e.status = 'ACTIVE')
                order by rl.id, pu.subject
                """, row -> new ReachedLink(row.getObject("link_row_id", UUID.class),
                        row.getObject("resource_id", UUID.class), row.getString("issuer"), row.getString("subject")),
                accountId, resourceId, accountId);
    }

    /**
     * The debounced row: this learner's unsent, unclaimed aggregate on this link takes the new value and its
     * due time moves to {@code due}; without one, a new row. One score per learner and link is sent however
     * many leaves change within the delay. The caller holds the learner-and-link lock.
     */
    public UUID upsertAggregate(Aggregate a, Instant now, Instant due) {
        Instant last = sql.queryOne("""
                select max(scored_at) as last_scored_at from score where account_id = ? and resource_link_id = ?
                """, row -> row.getObject("last_scored_at", OffsetDateTime.class), a.accountId(), a.linkRowId())
                .map(OffsetDateTime::toInstant).orElse(null);
        // AGS §3.4.1: timestamps of one user and link strictly increase, or the platform drops the score
        Instant scoredAt = now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (last != null && !scoredAt.isAfter(last)) {
            scoredAt = last.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(1);
        }
        Optional<UUID> pending = sql.queryOne("""
                update score set score_given = ?, score_maximum = ?, activity_progress = ?, grading_progress = ?,
                    scored_at = ?, next_attempt_at = ?
                where id = (select id from score where account_id = ? and resource_link_id = ? and origin = 'AGGREGATE'
                    and status = 'PENDING' and (lease_expires_at is null or lease_expires_at < ?)
                    order by scored_at desc limit 1)
                returning id
                """, row -> row.getObject("id", UUID.class), a.scoreGiven(), a.scoreMaximum(), a.activityProgress(),
                a.gradingProgress(), scoredAt, due, a.accountId(), a.linkRowId(), now);
        UUID id = pending.orElseGet(UUID::randomUUID);
        if (pending.isEmpty()) {
            sql.update("""
                    insert into score (id, account_id, resource_id, resource_link_id, platform_issuer, platform_subject,
                        score_given, score_maximum, activity_progress, grading_progress, scored_at, created_at, status,
                        attempts, next_attempt_at, origin)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, 'AGGREGATE')
                    """, id, a.accountId(), a.resourceId(), a.linkRowId(), a.issuer(), a.subject(), a.scoreGiven(),
                    a.scoreMaximum(), a.activityProgress(), a.gradingProgress(), scoredAt, now, due);
        }
        sql.update("delete from score_contribution where score_id = ?", id);
        for (Contribution c : a.contributions()) {
            sql.update("""
                    insert into score_contribution (score_id, leaf_id, leaf_score_id, score_given, score_maximum, weight)
                    values (?, ?, ?, ?, ?, ?)
                    """, id, c.leafId(), c.leafScoreId(), c.scoreGiven(), c.scoreMaximum(), c.weight());
        }
        return id;
    }

    /** The node and its descendants in tree order (siblings by position), with this learner's leaf scores. */
    public List<SubtreeNode> subtree(UUID nodeId, UUID accountId) {
        return sql.list("""
                with recursive sub(id, depth, sort_path) as (
                    select id, 0, array[0] from published_resource where id = ?
                    union all
                    select p.id, sub.depth + 1, sub.sort_path || p.position
                    from published_resource p join sub on p.parent_id = sub.id
                    where sub.depth < 64)
                select p.id, p.title, p.kind, p.max_grade, sub.depth, ls.score_given,
                       not exists (select 1 from published_resource c where c.parent_id = p.id) as leaf
                from sub join published_resource p on p.id = sub.id
                left join leaf_score ls on ls.resource_id = p.id and ls.account_id = ?
                order by sub.sort_path, p.created_at
                """, row -> new SubtreeNode(row.getObject("id", UUID.class), row.getString("title"),
                        row.getString("kind").toLowerCase(java.util.Locale.ROOT), row.getBigDecimal("max_grade"),
                        row.getInt("depth"), row.getBoolean("leaf"), row.getBigDecimal("score_given")),
                nodeId, accountId);
    }

    /** What an aggregated score was computed from (empty for other scores). */
    public List<Contribution> contributions(UUID scoreId) {
        return sql.list("""
                select leaf_id, leaf_score_id, score_given, score_maximum, weight from score_contribution
                where score_id = ? order by leaf_id
                """, row -> new Contribution(row.getObject("leaf_id", UUID.class),
                        row.getObject("leaf_score_id", UUID.class), row.getBigDecimal("score_given"),
                        row.getBigDecimal("score_maximum"), row.getBigDecimal("weight")), scoreId);
    }
}
