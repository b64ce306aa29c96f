package org.ltipublisher.retention;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

/**
 * The purge's SQL: each method deletes at most {@code limit} rows past their use in one autocommitted statement
 * (a short transaction that holds few row locks and leaves little for VACUUM at a time), keyed by the primary key
 * that the inner select finds through an index. The outer WHERE repeats the condition, so a row that a concurrent
 * statement changed meanwhile (a renewed setup link, a score being sent) is re-checked on its new version and kept.
 *
 * <p>Every table of the schema (migrations V1 to V17), whether it grows and what bounds it:
 * <ul>
 * <li>{@code lti_nonce}: one row per LTI 1.3 launch. Purged here once {@code expires_at} has passed: by then the
 *     id_token carrying it is refused as expired (its exp plus the clock skew, Security Framework §5.1.3 step 8).
 * <li>{@code lti11_nonce}: one row per LTI 1.1 launch. Purged here once its OAuth timestamp is outside the window
 *     (RFC 5849 §3.3), i.e. after {@code expires_at}.
 * <li>{@code score}: one row per grade (the outbox). Sent and superseded rows purged here after
 *     {@code lti.retention.sent-scores}, never pending (retrying) or failed ones, and never one that still has no
 *     newer sent row of the same learner, resource and link (grade sync's "last sent", the instructor view's
 *     newest row, the AGS timestamp order of {@code max(scored_at)}).
 * <li>{@code score_contribution}: one row per leaf of an aggregated score; goes with its score (on delete cascade).
 * <li>{@code sync_run}: one row per resource, kind and sync interval. Purged here after
 *     {@code lti.retention.sync-runs}, keeping the newest {@code lti.retention.sync-runs-kept} per resource and kind.
 * <li>{@code nrps_removal}: rows of one member sync run; the run deletes them, the rest go with their run (cascade).
 * <li>{@code registration_url}: one per dynamic registration an administrator starts. Purged here
 *     {@code lti.retention.spent-links} after it expired or was used.
 * <li>{@code tool_session}: one row per local sign-in. Purged here once expired.
 * <li>{@code console_session}: one row per console sign-in. Purged here once expired or idle too long.
 * <li>{@code sign_in_failure}: one row per throttled username or address. Purged here once its window ran out.
 * <li>{@code console_setup_link}: at most one row (id = 1). Deleted here {@code lti.retention.spent-links} after it
 *     expired or was used, so no stale hash stays around.
 * <li>{@code job_lease}: one row per leased job; bounded by the code.
 * <li>{@code account}, {@code platform_user}, {@code enrolment}, {@code lti_context}, {@code resource_link},
 *     {@code lti11_outcome_target}, {@code leaf_score}, {@code ags_line_item}, {@code nrps_cursor}: grow with the
 *     learners, courses and links a school has, not with launches (a returning user's launch updates its rows).
 *     They are the service's data, never purged by age; deleting a registration, consumer or resource cascades.
 * <li>{@code tool_key}: one row per key rotation; the rotation job deletes retired keys after their overlap.
 * <li>{@code account_merge}: one row per merge an administrator or a sign-in makes (the audit trail); kept.
 * <li>{@code tool_secret}, {@code registration}, {@code deployment}, {@code published_resource},
 *     {@code lti_consumer}, {@code lti_consumer_link}, {@code content_credential}, {@code sync_schedule},
 *     {@code console_admin}: configuration an administrator (or dynamic registration) creates; bounded by it.
 * </ul>
 */
@ApplicationScoped
public class PurgeStore {

    private final JdbcTemplate sql;

    public PurgeStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** LTI 1.3 nonces whose id_token can no longer be accepted (kept until exp or max age, plus skew). */
    public int idTokenNonces(Instant now, int limit) {
        return sql.update("""
                delete from lti_nonce where value in (
                    select value from lti_nonce where expires_at < ? limit ?)
                  and expires_at < ?
                """, now, limit, now);
    }

    /** LTI 1.1 OAuth nonces whose timestamp is outside the window. */
    public int oauthNonces(Instant now, int limit) {
        return sql.update("""
                delete from lti11_nonce where (consumer_id, nonce) in (
                    select consumer_id, nonce from lti11_nonce where expires_at < ? limit ?)
                  and expires_at < ?
                """, now, limit, now);
    }

    /**
     * Sent or superseded scores recorded before {@code cutoff} that have a newer sent score of the same learner,
     * resource and link (so the newest sent one always stays; within one statement the chain ends at it), or
     * whose link is gone.
     */
    public int deliveredScores(Instant cutoff, int limit) {
        return sql.update("""
                delete from score where id in (
                    select s.id from score s
                    where s.status in ('SENT', 'SUPERSEDED') and s.created_at < ?
                      and (s.resource_link_id is null or exists (
                          select 1 from score n
                          where n.account_id = s.account_id and n.resource_link_id = s.resource_link_id
                            and n.resource_id = s.resource_id and n.status = 'SENT'
                            and n.scored_at > s.scored_at and n.created_at > s.created_at))
                    limit ?)
                  and status in ('SENT', 'SUPERSEDED') and created_at < ?
                """, cutoff, limit, cutoff);
    }

    /** Sync runs started before {@code cutoff} that are not among the newest {@code kept} of their resource and kind. */
    public int syncRuns(Instant cutoff, int kept, int limit) {
        return sql.update("""
                delete from sync_run where id in (
                    select r.id from sync_run r
                    where r.started_at < ?
                      and r.started_at < (select n.started_at from sync_run n
                                          where n.resource_id = r.resource_id and n.kind = r.kind
                                          order by n.started_at desc offset ? limit 1)
                    limit ?)
                  and started_at < ?
                """, cutoff, kept - 1, limit, cutoff);
    }

    /** Dynamic registration URLs that expired or were used before {@code cutoff}. */
    public int registrationUrls(Instant cutoff, int limit) {
        return sql.update("""
                delete from registration_url where id in (
                    select id from registration_url where expires_at < ? or used_at < ? limit ?)
                  and (expires_at < ? or used_at < ?)
                """, cutoff, cutoff, limit, cutoff, cutoff);
    }

    /** Local sign-ins that have expired. */
    public int toolSessions(Instant now, int limit) {
        return sql.update("""
                delete from tool_session where id_sha256 in (
                    select id_sha256 from tool_session where expires_at < ? limit ?)
                  and expires_at < ?
                """, now, limit, now);
    }

    /** Console sessions past their absolute lifetime, or idle since before {@code idleSince}. */
    public int consoleSessions(Instant now, Instant idleSince, int limit) {
        return sql.update("""
                delete from console_session where id_sha256 in (
                    select id_sha256 from console_session where expires_at < ? or last_seen_at < ? limit ?)
                  and (expires_at < ? or last_seen_at < ?)
                """, now, idleSince, limit, now, idleSince);
    }

    /** Sign-in failure counts whose window started before {@code windowStartedBefore} (limit nobody any more). */
    public int signInFailures(Instant windowStartedBefore, int limit) {
        return sql.update("""
                delete from sign_in_failure where throttle_key in (
                    select throttle_key from sign_in_failure where window_started_at < ? limit ?)
                  and window_started_at < ?
                """, windowStartedBefore, limit, windowStartedBefore);
    }

    /** The console setup link once it expired or was used before {@code cutoff} (a single row; no batching needed). */
    public int consoleSetupLinks(Instant cutoff) {
        return sql.update("delete from console_setup_link where expires_at < ? or used_at < ?", cutoff, cutoff);
    }
}
