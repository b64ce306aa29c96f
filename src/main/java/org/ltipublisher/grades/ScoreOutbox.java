package org.ltipublisher.grades;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.platform.PlatformTarget;

/**
 * The outbox's claims and outcomes, one autocommitted statement each (a claim and the sent marks cover a
 * batch). A claim takes due rows with {@code FOR UPDATE SKIP LOCKED} and stamps a lease, so replicas never take the same row and a row
 * whose replica died is taken again once its lease expires. Outcomes are fenced by the lease owner: a
 * replica that lost its lease cannot overwrite the new owner's result.
 */
@ApplicationScoped
public class ScoreOutbox {

    private final JdbcTemplate sql;
    private final GradesConfig config;
    private final Clock clock;

    public ScoreOutbox(JdbcTemplate sql, GradesConfig config, Clock clock) {
        this.sql = sql;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Claims up to {@code limit} due scores for {@code owner}, with what sending each needs, in one statement.
     * A score waits while an older score of the same user and link is still pending, so a platform always
     * receives them in timestamp order. Scores of the registrations in {@code saturated} (this replica has
     * enough of theirs claimed already) are left for later, so a slow platform's backlog cannot take the
     * whole claim.
     */
    public List<Delivery> claim(String owner, int limit, Duration lease, List<UUID> saturated) {
        Instant now = clock.instant();
        String[] skipped = saturated.stream().map(UUID::toString).toArray(String[]::new);
        return sql.list("""
                with claimed as (
                    update score s set lease_owner = ?, lease_expires_at = ?, attempts = s.attempts + 1
                    where s.id in (
                        select c.id from score c
                        where c.status = 'PENDING' and c.next_attempt_at <= ?
                          and (c.lease_expires_at is null or c.lease_expires_at < ?)
                          and not exists (select 1 from score o
                              where o.account_id = c.account_id and o.resource_link_id = c.resource_link_id
                                and o.status = 'PENDING' and o.scored_at < c.scored_at)
                          and (cardinality(?::uuid[]) = 0 or not exists (select 1 from resource_link xl
                              join deployment xd on xd.id = xl.deployment_id
                              where xl.id = c.resource_link_id and xd.registration_id = any(?::uuid[])))
                        order by c.next_attempt_at
                        limit ?
                        for update skip locked)
                    returning s.*)
                %s
                from claimed s
                %s
                order by s.next_attempt_at
                """.formatted(DELIVERY_COLUMNS, DELIVERY_JOINS), ScoreOutbox::delivery, owner, now.plus(lease), now, now,
                skipped, skipped, limit);
    }

    private static final String DELIVERY_COLUMNS = """
            select s.id as score_id, s.score_given, s.score_maximum, s.comment, s.activity_progress,
                   s.grading_progress, s.scored_at, s.platform_subject, s.attempts, s.created_at,
                   rl.id as link_row_id, rl.resource_link_id, rl.ags_lineitems_url, rl.ags_lineitem_url, rl.ags_scopes,
                   p.id as resource_id, p.title, p.max_grade, li.lineitem_url as bound_lineitem_url,
                   r.id as registration_id, r.issuer, r.client_id, r.access_token_url, r.token_audience""";

    private static final String DELIVERY_JOINS = """
            left join resource_link rl on rl.id = s.resource_link_id
            left join deployment d on d.id = rl.deployment_id
            left join registration r on r.id = d.registration_id
            join published_resource p on p.id = s.resource_id
            left join ags_line_item li on li.resource_link_id = rl.id""";

    private static Delivery delivery(ResultSet row) throws SQLException {
        UUID registrationId = row.getObject("registration_id", UUID.class);
        return new Delivery(row.getObject("score_id", UUID.class), row.getBigDecimal("score_given"),
                row.getBigDecimal("score_maximum"), row.getString("comment"), row.getString("activity_progress"),
                row.getString("grading_progress"), row.getObject("scored_at", OffsetDateTime.class).toInstant(),
                row.getString("platform_subject"), row.getInt("attempts"),
                row.getObject("created_at", OffsetDateTime.class).toInstant(), row.getObject("link_row_id", UUID.class),
                row.getString("resource_link_id"), row.getString("ags_lineitems_url"), row.getString("ags_lineitem_url"),
                row.getString("ags_scopes"), row.getObject("resource_id", UUID.class), row.getString("title"),
                row.getBigDecimal("max_grade"), row.getString("bound_lineitem_url"),
                registrationId == null ? null : new PlatformTarget(registrationId, row.getString("issuer"),
                        row.getString("client_id"), row.getString("access_token_url"), row.getString("token_audience")));
    }

    /**
     * Marks the scores the platform accepted as sent, in one statement; returns those still held by
     * {@code owner} (a replica that lost a lease meanwhile does not overwrite the new owner's result).
     */
    public List<UUID> sent(List<UUID> scoreIds, String owner) {
        return sql.list("""
                update score set status = 'SENT', sent_at = ?, last_error = null, lease_owner = null,
                    lease_expires_at = null
                where id = any(?::uuid[]) and lease_owner = ? and status = 'PENDING'
                returning id
                """, row -> row.getObject("id", UUID.class), clock.instant(),
                scoreIds.stream().map(UUID::toString).toArray(String[]::new), owner);
    }

    public boolean sent(UUID scoreId, String owner) {
        return !sent(List.of(scoreId), owner).isEmpty();
    }

    /**
     * Gives a claimed score back untried (its platform has enough deliveries in flight on this replica):
     * the claim's attempt is not counted, and the score is due again after {@code delay}, so the claims
     * in between reach other platforms' scores.
     */
    public boolean postpone(UUID scoreId, String owner, Duration delay) {
        return sql.update("""
                update score set next_attempt_at = ?, attempts = greatest(attempts - 1, 0), lease_owner = null,
                    lease_expires_at = null
                where id = ? and lease_owner = ? and status = 'PENDING'
                """, clock.instant().plus(delay), scoreId, owner) == 1;
    }

    /** The platform refused the score for good: kept with its reason, replayable by an administrator. */
    public boolean failed(UUID scoreId, String owner, String reason) {
        return sql.update("""
                update score set status = 'FAILED', last_error = ?, lease_owner = null, lease_expires_at = null
                where id = ? and lease_owner = ? and status = 'PENDING'
                """, reason, scoreId, owner) == 1;
    }

    /**
     * A temporary failure: try again after exponential back-off (with jitter, so replicas do not retry in
     * step), or exactly after the platform's Retry-After when it sent one.
     */
    public Instant retryLater(UUID scoreId, String owner, int attempts, Duration retryAfter, String reason) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration backoff = config.retryBase().multipliedBy(factor);
        if (backoff.compareTo(config.retryMax()) > 0) {
            backoff = config.retryMax();
        }
        backoff = backoff.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, backoff.toMillis() / 5)));
        if (retryAfter != null) {
            backoff = retryAfter; // the platform said when (RFC 9110 §10.2.3); sooner would be refused again
        }
        Instant next = clock.instant().plus(backoff);
        sql.update("""
                update score set next_attempt_at = ?, last_error = ?, lease_owner = null, lease_expires_at = null
                where id = ? and lease_owner = ? and status = 'PENDING'
                """, next, reason, scoreId, owner);
        return next;
    }

    /** Forgets a resource link's line item (the platform answered 404 for it), so the next send finds it anew. */
    public void forgetLineItem(UUID linkRowId) {
        sql.update("delete from ags_line_item where resource_link_id = ?", linkRowId);
    }
}
