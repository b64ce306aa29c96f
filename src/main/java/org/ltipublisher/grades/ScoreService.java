package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.admission.HandOff;
import org.ltipublisher.db.AdvisoryLocks;
import org.ltipublisher.grades.ScoreDtos.ScoreSubmission;
import org.ltipublisher.provenance.PlatformSource;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.resources.ResourceKind;
import org.ltipublisher.web.Rejection;

import io.quarkus.runtime.annotations.RegisterForReflection;

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
    /** Failing scores the dashboard's platform list reads at most. */
    private static final int FAILING_SCAN = 500;
    /** Scores are stored as numeric(12, 4); more decimals than this are refused rather than silently rounded away. */
    static final int MAX_DECIMALS = 20;
    static final int SCORE_SCALE = 4;
    /** Longest part of a refused value quoted back in a message. */
    private static final int MAX_QUOTED = 40;

    private final EntityManager em;
    private final ScoreIntakeStore intake;
    private final AdvisoryLocks locks;
    private final PublishedResourceService resources;
    private final GradesConfig config;
    private final LtiConfig launchConfig;
    private final GradesMetrics metrics;
    private final Clock clock;

    public ScoreService(EntityManager em, ScoreIntakeStore intake, AdvisoryLocks locks, PublishedResourceService resources,
            GradesConfig config, LtiConfig launchConfig, GradesMetrics metrics, Clock clock) {
        this.em = em;
        this.intake = intake;
        this.locks = locks;
        this.resources = resources;
        this.config = config;
        this.launchConfig = launchConfig;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * A score from the content application: its credential names the resource it speaks for, the learner's
     * launch token the user and link. The token alone is not enough: the learner's browser holds it.
     */
    @Transactional
    public Score acceptFromContent(UUID credentialResourceId, HandOff launch, ScoreSubmission submission) {
        if (!launch.resourceId().equals(credentialResourceId)) {
            throw Rejection.forbidden("credential_of_another_resource", "the content credential belongs to another "
                    + "published resource than the launch token: each resource's content reports with its own credential");
        }
        return record(target(launch), submission, "CONTENT", null);
    }

    /**
     * The built-in sample activity's form, recorded server-side: only for a resource that has no content
     * application of its own (else the form would be a way around that content's credential).
     */
    @Transactional
    public Score acceptFromSampleActivity(HandOff launch, BigDecimal scoreGiven, String comment) {
        PublishedResource resource = resources.find(launch.resourceId()).orElseThrow(() -> Rejection.notFound(
                "unknown_resource", "the resource " + launch.resourceId() + " no longer exists"));
        if (resource.contentUrl != null) {
            throw Rejection.forbidden("not_sample_activity", "this resource's content is served by its own content "
                    + "application, which reports the scores; the sample activity records none for it");
        }
        return record(target(launch), new ScoreSubmission(scoreGiven, null, comment, null, null, null, null, null, null,
                null, null, null), "CONTENT", null);
    }

    private static ScoreTarget target(HandOff launch) {
        return new ScoreTarget(launch.accountId(), launch.resourceId(), launch.resourceLinkId(),
                launch.platformIssuer(), launch.platformUserId());
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
        UUID accountId = intake.accountOf(issuer, userId)
                .orElseThrow(() -> Rejection.notFound("unknown_user", "no user '" + userId + "' of platform '" + issuer
                        + "' has launched or been synced: the user must launch the resource once"));
        List<ScoreIntakeStore.LinkRow> links = intake.links(issuer, linkId, submission.clientId(),
                submission.deploymentId());
        if (links.isEmpty()) {
            throw Rejection.notFound("unknown_resource_link", "platform '" + issuer + "' has no resource link '" + linkId
                    + "' known to this tool: it appears after the link's first launch");
        }
        if (links.size() > 1) {
            throw Rejection.conflict("ambiguous_resource_link", "resource link '" + linkId + "' of platform '" + issuer
                    + "' exists in " + links.size() + " registrations or deployments of that issuer: name clientId "
                    + "and deploymentId too, or post as the content application with the learner's launch token");
        }
        return record(new ScoreTarget(accountId, links.get(0).resourceId(), links.get(0).linkRowId(), issuer, userId),
                submission,
                "ADMIN", null);
    }

    /**
     * Validates and stores a score. Every number is bounded before anything formats it: BigDecimal keeps
     * 1e100000000 as two small fields, but its plain text is 100 MB (Jackson's StreamReadConstraints cap a
     * number's length at 1000 characters, not its exponent). {@code fixedMaximum} (a replay) keeps the
     * maximum the score was given on; otherwise the maximum is the resource's.
     */
    private Score record(ScoreTarget target, ScoreSubmission s, String origin, BigDecimal fixedMaximum) {
        if (s == null) {
            throw Rejection.unprocessable("missing_body", "a JSON score is required");
        }
        PublishedResource resource = resources.find(target.resourceId()).orElseThrow(() -> Rejection.notFound(
                "unknown_resource", "the resource " + target.resourceId() + " no longer exists"));
        return store(target, resource, check(resource, s, fixedMaximum), origin);
    }

    /** A submission's values, checked against the resource it grades and normalised to the columns' scale. */
    public record Checked(BigDecimal given, BigDecimal maximum, String comment, String activity, String grading,
            Instant requested) {
    }

    /** Checks a score for {@code resource} (its maxGrade is the scale) without storing anything. */
    public Checked check(PublishedResource resource, ScoreSubmission s, BigDecimal fixedMaximum) {
        if (s == null) {
            throw Rejection.unprocessable("missing_body", "a JSON score is required");
        }
        String activity = vocabulary("activityProgress", s.activityProgress(), "Completed", ACTIVITY_PROGRESS);
        String grading = vocabulary("gradingProgress", s.gradingProgress(), "FullyGraded", GRADING_PROGRESS);
        BigDecimal maximum = fixedMaximum != null ? fixedMaximum : resource.maxGrade;
        if (fixedMaximum == null && s.scoreMaximum() != null) {
            // the scale is the resource's: a content that thinks otherwise would put a wrong grade in the gradebook
            if (!inRange(s.scoreMaximum()) || s.scoreMaximum().compareTo(maximum) != 0) {
                throw Rejection.unprocessable("maximum_mismatch", "scoreMaximum must be this resource's maximum grade, "
                        + maximum.stripTrailingZeros().toPlainString() + " (or be left out): give scoreGiven on that scale");
            }
        }
        BigDecimal given = s.scoreGiven();
        if (given == null && (grading.equals("FullyGraded") || grading.equals("PendingManual"))) {
            throw Rejection.unprocessable("missing_score", "scoreGiven is required when gradingProgress is " + grading);
        }
        if (given != null && given.signum() < 0) {
            throw Rejection.unprocessable("negative_score", "scoreGiven must not be negative");
        }
        if (given != null && !inRange(given)) {
            throw Rejection.unprocessable("score_out_of_range", "scoreGiven must be a number from 0 to the maximum "
                    + maximum.stripTrailingZeros().toPlainString() + " with at most " + MAX_DECIMALS
                    + " decimal places");
        }
        if (given != null && given.compareTo(maximum) > 0) {
            throw Rejection.unprocessable("score_above_maximum",
                    "scoreGiven " + given.toPlainString() + " is above the maximum " + maximum.toPlainString());
        }
        if (given != null) {
            given = given.setScale(SCORE_SCALE, RoundingMode.HALF_UP); // the column's scale, so a re-send is identical
        }
        String comment = s.comment() == null || s.comment().isBlank() ? null : s.comment().strip();
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw Rejection.unprocessable("comment_too_long", "comment is longer than " + MAX_COMMENT + " characters");
        }
        Instant requested = s.timestamp() == null || s.timestamp().isBlank() ? clock.instant() : timestamp(s.timestamp());
        // AGS §3.4.1: the timestamp orders scores; one far in the future would make the platform drop every later
        // score for this user and link (each is stamped after the last), one far in the past is dropped itself
        Duration skew = launchConfig.launch().clockSkew();
        if (Duration.between(clock.instant(), requested).abs().compareTo(skew) > 0) {
            throw Rejection.unprocessable("timestamp_out_of_range", "timestamp must be within " + skew.toSeconds()
                    + " seconds of the tool's clock (lti.launch.clock-skew): send the time the score was given, "
                    + "or leave it out");
        }
        return new Checked(given, maximum, comment, activity, grading, requested);
    }

    /** Stores a checked score for one user and link in the outbox (the caller's transaction). */
    Score store(ScoreTarget target, PublishedResource resource, Checked c, String origin) {
        BigDecimal given = c.given();
        BigDecimal maximum = c.maximum();
        String comment = c.comment();
        String activity = c.activity();
        String grading = c.grading();
        Instant requested = c.requested();
        // AGS §3.4.1: platforms keep a score only if its timestamp is newer than the last one; concurrent
        // posts for one user and link take turns so each gets a strictly later millisecond
        locks.lockForTransaction("score:" + target.accountId() + ":" + target.resourceLinkRowId());
        Instant last = intake.lastScoredAt(target.accountId(), target.resourceLinkRowId()).orElse(null);
        Instant scoredAt = requested.truncatedTo(ChronoUnit.MILLIS);
        if (last != null && !scoredAt.isAfter(last)) {
            scoredAt = last.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        }
        Instant now = clock.instant();
        Instant due = now;
        if (AGGREGATED.contains(resource.kind)) {
            // the newest grade replaces unsent ones and restarts the quiet delay (Open edX: 15 minutes)
            intake.supersedePending(target.accountId(), target.resourceLinkRowId(), now);
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
    public ScoreDtos.ScoreView get(UUID id) {
        Score score = em.find(Score.class, id);
        if (score == null) {
            throw Rejection.notFound("unknown_score", "no score with id " + id);
        }
        return views(List.of(score)).get(0);
    }

    /** Scores waiting in the outbox and the acceptance time of the oldest (null when none waits). */
    @Transactional
    public ScoreDtos.OutboxState outbox() {
        Object[] row = em.createQuery("select count(s), min(s.createdAt) from Score s where s.status = ?1", Object[].class)
                .setParameter(1, ScoreStatus.PENDING).getSingleResult();
        return new ScoreDtos.OutboxState(((Number) row[0]).longValue(), (Instant) row[1]);
    }

    /**
     * Platforms whose score deliveries fail: pending scores that met an error (retrying now) and scores that
     * failed for good since {@code since} (by their last attempt's due time), the latest failing first. Reads at most
     * {@code FAILING_SCAN} of the most recent such scores: enough to name every failing platform.
     */
    @Transactional
    public List<ScoreDtos.FailingPlatform> failingPlatforms(Instant since) {
        List<Score> failing = em.createQuery("from Score s where (s.status = ?1 and s.lastError is not null) "
                + "or (s.status = ?2 and s.nextAttemptAt >= ?3) order by s.nextAttemptAt desc", Score.class)
                .setParameter(1, ScoreStatus.PENDING).setParameter(2, ScoreStatus.FAILED).setParameter(3, since)
                .setMaxResults(FAILING_SCAN).getResultList();
        Map<UUID, PlatformSource> platforms = intake.platformsOfLinks(failing.stream().map(s -> s.resourceLinkId).toList());
        Map<PlatformSource, ScoreDtos.FailingPlatform> byPlatform = new LinkedHashMap<>();
        for (Score s : failing) {
            PlatformSource platform = s.resourceLinkId == null ? null : platforms.get(s.resourceLinkId);
            if (platform == null) {
                continue;
            }
            boolean retrying = s.status == ScoreStatus.PENDING;
            // rows come newest first: the first row of a platform holds its latest reason
            byPlatform.merge(platform, new ScoreDtos.FailingPlatform(platform, retrying ? 1 : 0, retrying ? 0 : 1,
                    s.lastError, s.nextAttemptAt), (seen, next) -> new ScoreDtos.FailingPlatform(platform,
                            seen.retrying() + next.retrying(), seen.failed() + next.failed(), seen.latestReason(),
                            seen.latestAt()));
        }
        return List.copyOf(byPlatform.values());
    }

    /** Scores as the API shows them, each naming its platform or consumer. */
    private List<ScoreDtos.ScoreView> views(List<Score> found) {
        Map<UUID, PlatformSource> platforms = intake.platformsOfLinks(found.stream().map(s -> s.resourceLinkId).toList());
        return found.stream().map(s -> ScoreDtos.ScoreView.of(s,
                s.resourceLinkId == null ? null : platforms.get(s.resourceLinkId))).toList();
    }

    /** What a replay did to one score. */
    public enum ReplayOutcome {
        REPLAYED, ALREADY_PENDING, ALREADY_SENT, ALREADY_REPLAYED
    }

    /** What replaying several scores did: how many went out again, and why the others were left as they were. */
    @RegisterForReflection
    public record ReplayReport(int replayed, int alreadyPending, int alreadySent, int alreadyReplayed,
            List<UUID> replays) {

        static ReplayReport of(List<ReplayOutcome> outcomes, List<UUID> replays) {
            return new ReplayReport(count(outcomes, ReplayOutcome.REPLAYED), count(outcomes, ReplayOutcome.ALREADY_PENDING),
                    count(outcomes, ReplayOutcome.ALREADY_SENT), count(outcomes, ReplayOutcome.ALREADY_REPLAYED), replays);
        }

        private static int count(List<ReplayOutcome> outcomes, ReplayOutcome wanted) {
            return (int) outcomes.stream().filter(wanted::equals).count();
        }
    }

    /**
     * Sends a failed (or superseded) score again: a new outbox row with a fresh timestamp, so the
     * platform does not drop it as older than what it has. The score's row is locked first, and a score is
     * replayed once: a second replay (a double click, another administrator) waits for the first and is refused.
     */
    @Transactional
    public Score replay(UUID id) {
        Score failed = em.find(Score.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (failed == null) {
            throw Rejection.notFound("unknown_score", "no score with id " + id);
        }
        ReplayOutcome outcome = replayLocked(failed);
        if (outcome == ReplayOutcome.ALREADY_REPLAYED) {
            throw Rejection.conflict("already_replayed", "score " + id + " was replayed already, as score "
                    + failed.replayedAs + ": nothing more was sent");
        }
        if (outcome != ReplayOutcome.REPLAYED) {
            throw Rejection.conflict("not_replayable", "score " + id + " is " + failed.status.name().toLowerCase()
                    + ": only failed or superseded scores are replayed");
        }
        return em.find(Score.class, failed.replayedAs);
    }

    /**
     * Replays several scores in one transaction: every id must name a score (else nothing is replayed, 404);
     * scores that are pending, sent or replayed already are left as they are and counted. Rows are locked in id
     * order (two bulk replays never wait on each other in a circle) and replayed oldest first, so the newest
     * grade of a learner gets the latest timestamp and stays the platform's.
     */
    @Transactional
    public ReplayReport replayAll(List<UUID> ids) {
        List<UUID> distinct = ids.stream().distinct().sorted().toList();
        if (distinct.isEmpty()) {
            return ReplayReport.of(List.of(), List.of());
        }
        List<Score> locked = em.createQuery("from Score where id in ?1 order by id", Score.class)
                .setParameter(1, distinct).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        if (locked.size() != distinct.size()) {
            Set<UUID> found = locked.stream().map(score -> score.id).collect(Collectors.toSet());
            UUID missing = distinct.stream().filter(id -> !found.contains(id)).findFirst().orElseThrow();
            throw Rejection.notFound("unknown_score", "no score with id " + missing + ": nothing was replayed");
        }
        List<ReplayOutcome> outcomes = new ArrayList<>();
        List<UUID> replays = new ArrayList<>();
        locked.stream().sorted(Comparator.comparing((Score score) -> score.createdAt)
                .thenComparing(score -> score.scoredAt)).forEach(score -> {
                    ReplayOutcome outcome = replayLocked(score);
                    outcomes.add(outcome);
                    if (outcome == ReplayOutcome.REPLAYED) {
                        replays.add(score.replayedAs);
                    }
                });
        return ReplayReport.of(outcomes, replays);
    }

    /** Replays a score whose row this transaction has locked, unless it is pending, sent or replayed already. */
    private ReplayOutcome replayLocked(Score failed) {
        if (failed.status == ScoreStatus.PENDING) {
            return ReplayOutcome.ALREADY_PENDING;
        }
        if (failed.status == ScoreStatus.SENT) {
            return ReplayOutcome.ALREADY_SENT;
        }
        if (failed.replayedAs != null) {
            return ReplayOutcome.ALREADY_REPLAYED;
        }
        ScoreSubmission again = new ScoreSubmission(failed.scoreGiven, failed.scoreMaximum, failed.comment,
                failed.activityProgress, failed.gradingProgress, null, null, null, null, null, null, null);
        Score replayed = record(new ScoreTarget(failed.accountId, failed.resourceId, failed.resourceLinkId,
                failed.platformIssuer, failed.platformSubject), again, "REPLAY", failed.scoreMaximum);
        replayed.nextAttemptAt = clock.instant();
        failed.replayedAs = replayed.id;
        // the next replay of this learner and link reads the newest timestamp through JDBC: it must see this row
        em.flush();
        return ReplayOutcome.REPLAYED;
    }

    /**
     * "Retry failed" of the instructor view: replays every failed score of the link that is still the newest
     * of its learner and node (one replayed already has a newer row, so a second click replays nothing).
     */
    @Transactional
    public int replayFailedOnLink(UUID resourceLinkRowId) {
        List<UUID> failed = em.createQuery("select s.id from Score s where s.resourceLinkId = ?1 and s.status = ?2 "
                + "and not exists (select 1 from Score n where n.accountId = s.accountId and n.resourceId = s.resourceId "
                + "and n.resourceLinkId = s.resourceLinkId and n.createdAt > s.createdAt)", UUID.class)
                .setParameter(1, resourceLinkRowId).setParameter(2, ScoreStatus.FAILED).getResultList();
        return replayAll(failed).replayed();
    }

    /**
     * 0 ≤ value ≤ the largest maxGrade, at most {@link #MAX_DECIMALS} decimals. precision() − scale() is the
     * number of digits before the point and is computed without expanding the number.
     */
    private static boolean inRange(BigDecimal value) {
        return value.signum() >= 0 && value.scale() <= MAX_DECIMALS && value.precision() - value.scale() <= 7
                && value.compareTo(PublishedResourceService.MAX_GRADE_LIMIT) <= 0;
    }

    /** A refused value quoted back, shortened: the message is logged and answered. */
    private static String quoted(String value) {
        return "'" + (value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "…" : value) + "'";
    }

    private static String vocabulary(String field, String value, String fallback, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            throw Rejection.unprocessable("invalid_" + field, field + " must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()) + "; not " + quoted(value));
        }
        return value;
    }

    private static Instant timestamp(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw Rejection.unprocessable("invalid_timestamp", "timestamp must be ISO 8601 with an offset, "
                    + "e.g. 2026-01-31T12:00:00.123Z; not " + quoted(value));
        }
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Rejection.unprocessable("missing_field", field + " is required with an admin token");
        }
        return value.trim();
    }
}
