package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.ltipublisher.content.HandOff;
import org.ltipublisher.db.AdvisoryLocks;
import org.ltipublisher.db.Sql;
import org.ltipublisher.grades.ScoreDtos.ScoreSubmission;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.resources.ResourceKind;
import org.ltipublisher.web.Rejection;

/**
 * Score intake: a score is validated and written to the outbox in the transaction that accepts it,
 * so an accepted score is never lost; the outbox worker delivers it later (AGS §3.4).
 */
@ApplicationScoped
public class ScoreService {

    /** AGS §3.4.3 / §3.4.4 vocabularies. */
    static final Set<String> ACTIVITY_PROGRESS = Set.of("Initialized", "Started", "InProgress", "Submitted",
            "Completed");
    static final Set<String> GRADING_PROGRESS = Set.of("FullyGraded", "Pending", "PendingManual", "Failed",
            "NotReady");
    /** Resources whose grade is an aggregate, sent after a quiet delay rather than at once. */
    static final Set<ResourceKind> AGGREGATED = Set.of(ResourceKind.UNIT, ResourceKind.COURSE);
    private static final int MAX_COMMENT = 4000;

    private final EntityManager em;
    private final Sql sql;
    private final AdvisoryLocks locks;
    private final PublishedResourceService resources;
    private final GradesConfig config;
    private final GradesMetrics metrics;
    private final Clock clock;

    public ScoreService(EntityManager em, Sql sql, AdvisoryLocks locks, PublishedResourceService resources,
            GradesConfig config, GradesMetrics metrics, Clock clock) {
        this.em = em;
        this.sql = sql;
        this.locks = locks;
        this.resources = resources;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A score from the content, for the launch behind its hand-off token. */
    @Transactional
    public Score accept(HandOff launch, ScoreSubmission submission) {
        return record(new ScoreTarget(launch.accountId(), launch.resourceId(), launch.resourceLinkId(),
                launch.platformIssuer(), launch.platformUserId()), submission, "CONTENT");
    }

    /** A score from an admin or service client naming platform, user (sub) and platform resource link id. */
    @Transactional
    public Score acceptForPlatformUser(ScoreSubmission submission) {
        if (submission == null) {
            throw Rejection.unprocessable("missing_body", "a JSON score is required");
        }
        String issuer = required("issuer", submission.issuer());
        String userId = required("userId", submission.userId());
        String linkId = required("resourceLinkId", submission.resourceLinkId());
        UUID accountId = sql.queryOne("select account_id from platform_user where issuer = ? and subject = ?",
                row -> row.getObject(1, UUID.class), issuer, userId)
                .orElseThrow(() -> Rejection.notFound("unknown_user", "no user '" + userId + "' of platform '" + issuer
                        + "' has launched or been synced: the user must launch the resource once"));
        List<UUID[]> links = sql.list("""
                select rl.id, rl.resource_id from resource_link rl
                join deployment d on d.id = rl.deployment_id join registration r on r.id = d.registration_id
                where r.issuer = ? and rl.resource_link_id = ?
                  and (cast(? as varchar) is null or r.client_id = ?) and (cast(? as varchar) is null or d.deployment_id = ?)
                """, row -> new UUID[] { row.getObject(1, UUID.class), row.getObject(2, UUID.class) }, issuer, linkId,
                submission.clientId(), submission.clientId(), submission.deploymentId(), submission.deploymentId());
        if (links.isEmpty()) {
            throw Rejection.notFound("unknown_resource_link", "platform '" + issuer + "' has no resource link '" + linkId
                    + "' known to this tool: it appears after the link's first launch");
        }
        if (links.size() > 1) {
            throw Rejection.conflict("ambiguous_resource_link", "resource link '" + linkId + "' of platform '" + issuer
                    + "' exists in " + links.size() + " registrations or deployments of that issuer: name clientId "
                    + "and deploymentId too, or post with the learner's launch token");
        }
        return record(new ScoreTarget(accountId, links.get(0)[1], links.get(0)[0], issuer, userId), submission,
                "ADMIN");
    }

    private Score record(ScoreTarget target, ScoreSubmission s, String origin) {
        if (s == null) {
            throw Rejection.unprocessable("missing_body", "a JSON score is required");
        }
        PublishedResource resource = resources.find(target.resourceId()).orElseThrow(() -> Rejection.notFound(
                "unknown_resource", "the resource " + target.resourceId() + " no longer exists"));
        String activity = vocabulary("activityProgress", s.activityProgress(), "Completed", ACTIVITY_PROGRESS);
        String grading = vocabulary("gradingProgress", s.gradingProgress(), "FullyGraded", GRADING_PROGRESS);
        BigDecimal maximum = s.scoreMaximum() != null ? s.scoreMaximum() : resource.maxGrade;
        if (maximum.signum() <= 0) {
            throw Rejection.unprocessable("invalid_maximum", "scoreMaximum must be greater than 0, not " + maximum);
        }
        BigDecimal given = s.scoreGiven();
        if (given == null && (grading.equals("FullyGraded") || grading.equals("PendingManual"))) {
            throw Rejection.unprocessable("missing_score", "scoreGiven is required when gradingProgress is " + grading);
        }
        if (given != null && given.signum() < 0) {
            throw Rejection.unprocessable("negative_score", "scoreGiven must not be negative, not " + given);
        }
        if (given != null && given.compareTo(maximum) > 0) {
            throw Rejection.unprocessable("score_above_maximum",
                    "scoreGiven " + given.toPlainString() + " is above the maximum " + maximum.toPlainString());
        }
        String comment = s.comment() == null || s.comment().isBlank() ? null : s.comment().strip();
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw Rejection.unprocessable("comment_too_long", "comment is longer than " + MAX_COMMENT + " characters");
        }
        Instant requested = s.timestamp() == null || s.timestamp().isBlank() ? clock.instant() : timestamp(s.timestamp());

        // AGS §3.4.1: platforms keep a score only if its timestamp is newer than the last one; concurrent
        // posts for one user and link take turns so each gets a strictly later millisecond
        locks.lockForTransaction("score:" + target.accountId() + ":" + target.resourceLinkRowId());
        Instant last = sql.queryOne("select max(scored_at) from score where account_id = ? and resource_link_id = ?",
                row -> row.getObject(1, java.time.OffsetDateTime.class), target.accountId(), target.resourceLinkRowId())
                .map(OffsetDateTime::toInstant).orElse(null);
        Instant scoredAt = requested.truncatedTo(ChronoUnit.MILLIS);
        if (last != null && !scoredAt.isAfter(last)) {
            scoredAt = last.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        }
        Instant now = clock.instant();
        Instant due = now;
        if (AGGREGATED.contains(resource.kind)) {
            // the newest grade replaces unsent ones and restarts the quiet delay (Open edX: 15 minutes)
            sql.update("""
                    update score set status = 'SUPERSEDED', last_error = 'replaced by a newer grade before sending'
                    where account_id = ? and resource_link_id = ? and status = 'PENDING'
                      and (lease_expires_at is null or lease_expires_at < ?)
                    """, target.accountId(), target.resourceLinkRowId(), now);
            due = now.plus(config.aggregationDelay());
        }
        Score score = new Score();
        score.id = UUID.randomUUID();
        score.accountId = target.accountId();
        score.resourceId = target.resourceId();
        score.resourceLinkId = target.resourceLinkRowId();
        score.platformIssuer = target.issuer();
        score.platformSubject = target.subject();
        score.scoreGiven = given;
        score.scoreMaximum = maximum;
        score.comment = comment;
        score.activityProgress = activity;
        score.gradingProgress = grading;
        score.scoredAt = scoredAt;
        score.createdAt = now;
        score.status = ScoreStatus.PENDING;
        score.nextAttemptAt = due;
        score.origin = origin;
        em.persist(score);
        metrics.accepted(resource.kind);
        return score;
    }

    @Transactional
    public List<Score> forUser(UUID accountId, UUID resourceId) {
        return em.createQuery("from Score where accountId = ?1 and resourceId = ?2 order by createdAt desc", Score.class)
                .setParameter(1, accountId).setParameter(2, resourceId).setMaxResults(20).getResultList();
    }

    @Transactional
    public List<ScoreDtos.ScoreView> list(String status, int limit) {
        if (status == null || status.isBlank()) {
            return em.createQuery("from Score order by createdAt desc", Score.class).setMaxResults(limit)
                    .getResultStream().map(ScoreDtos.ScoreView::of).toList();
        }
        ScoreStatus wanted = status(status);
        return em.createQuery("from Score where status = ?1 order by createdAt desc", Score.class)
                .setParameter(1, wanted).setMaxResults(limit).getResultStream().map(ScoreDtos.ScoreView::of).toList();
    }

    @Transactional
    public ScoreDtos.ScoreView get(UUID id) {
        Score score = em.find(Score.class, id);
        if (score == null) {
            throw Rejection.notFound("unknown_score", "no score with id " + id);
        }
        return ScoreDtos.ScoreView.of(score);
    }

    /**
     * Sends a failed (or superseded) score again: a new outbox row with a fresh timestamp, so the
     * platform does not drop it as older than what it has.
     */
    @Transactional
    public Score replay(UUID id) {
        Score failed = em.find(Score.class, id);
        if (failed == null) {
            throw Rejection.notFound("unknown_score", "no score with id " + id);
        }
        if (failed.status == ScoreStatus.PENDING || failed.status == ScoreStatus.SENT) {
            throw Rejection.conflict("not_replayable", "score " + id + " is " + failed.status.name().toLowerCase()
                    + ": only failed or superseded scores are replayed");
        }
        ScoreSubmission again = new ScoreSubmission(failed.scoreGiven, failed.scoreMaximum, failed.comment,
                failed.activityProgress, failed.gradingProgress, null, null, null, null, null, null);
        Score replayed = record(new ScoreTarget(failed.accountId, failed.resourceId, failed.resourceLinkId,
                failed.platformIssuer, failed.platformSubject), again, "REPLAY");
        replayed.nextAttemptAt = clock.instant();
        failed.lastError = (failed.lastError == null ? "" : failed.lastError + "; ") + "replayed as " + replayed.id;
        return replayed;
    }

    static ScoreStatus status(String value) {
        try {
            return ScoreStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Rejection.badRequest("invalid_status", "status must be one of pending, sent, failed, superseded; not '"
                    + value + "'");
        }
    }

    private static String vocabulary(String field, String value, String fallback, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            throw Rejection.unprocessable("invalid_" + field, field + " must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()) + "; not '" + value + "'");
        }
        return value;
    }

    private static Instant timestamp(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw Rejection.unprocessable("invalid_timestamp", "timestamp must be ISO 8601 with an offset, "
                    + "e.g. 2026-01-31T12:00:00.123Z; not '" + value + "'");
        }
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Rejection.unprocessable("missing_field", field + " is required with an admin token");
        }
        return value.trim();
    }
}
