package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.ltipublisher.provenance.PlatformSource;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** JSON of the score API. */
public final class ScoreDtos {

    private ScoreDtos() {
    }

    /**
     * A score as the content posts it (AGS §3.4 field names). {@code scoreMaximum} may only repeat the
     * resource's maxGrade. {@code issuer}, {@code userId} (the LTI sub) and {@code resourceLinkId} (the
     * platform's resource link id) only with an admin/service token; the content's launch token implies them.
     * {@code clientId} and {@code deploymentId} are needed only when several registrations of one issuer
     * (Canvas, Blackboard) have a link with that id. {@code resourceId} (content tree, content credential only)
     * names the leaf inside the launched resource the score is for.
     */
    @RegisterForReflection
    public record ScoreSubmission(BigDecimal scoreGiven, BigDecimal scoreMaximum, String comment,
            String activityProgress, String gradingProgress, String timestamp, String issuer, String userId,
            String resourceLinkId, String clientId, String deploymentId, String resourceId) {
    }

    @RegisterForReflection
    public record Accepted(UUID id, String status) {
    }

    @RegisterForReflection
    public record ScoreView(UUID id, String status, String issuer, String userId, UUID accountId, UUID resourceId,
            UUID resourceLinkId, BigDecimal scoreGiven, BigDecimal scoreMaximum, String comment,
            String activityProgress, String gradingProgress, Instant timestamp, int attempts, Instant nextAttemptAt,
            String lastError, Instant sentAt, Instant createdAt, String origin, PlatformSource platform,
            List<AggregateStore.Contribution> contributions, UUID replayedAs) {

        /** {@code platform}: the 1.3 registration or 1.1 consumer of the score's resource link (issue 12). */
        static ScoreView of(Score s, PlatformSource platform) {
            return new ScoreView(s.id, s.status.name().toLowerCase(), s.platformIssuer, s.platformSubject, s.accountId,
                    s.resourceId, s.resourceLinkId, s.scoreGiven, s.scoreMaximum, s.comment, s.activityProgress,
                    s.gradingProgress, s.scoredAt, s.attempts, s.status == ScoreStatus.PENDING ? s.nextAttemptAt : null,
                    s.lastError, s.sentAt, s.createdAt, s.origin.toLowerCase(), platform, null, s.replayedAs);
        }

        /** Pending after a temporary failure: the outbox keeps the platform's reason and tries again. */
        public boolean retrying() {
            return "pending".equals(status) && lastError != null;
        }

        /** Failed or superseded and not replayed yet: what a replay may send again. */
        public boolean replayable() {
            return ("failed".equals(status) || "superseded".equals(status)) && replayedAs == null;
        }

        /** The same view naming the score's platform or consumer. */
        ScoreView withPlatform(PlatformSource source) {
            return new ScoreView(id, status, issuer, userId, accountId, resourceId, resourceLinkId, scoreGiven,
                    scoreMaximum, comment, activityProgress, gradingProgress, timestamp, attempts, nextAttemptAt,
                    lastError, sentAt, createdAt, origin, source, contributions, replayedAs);
        }

        /** The same view with the leaf scores an aggregated grade was computed from. */
        ScoreView withContributions(List<AggregateStore.Contribution> from) {
            return new ScoreView(id, status, issuer, userId, accountId, resourceId, resourceLinkId, scoreGiven,
                    scoreMaximum, comment, activityProgress, gradingProgress, timestamp, attempts, nextAttemptAt,
                    lastError, sentAt, createdAt, origin, platform, from, replayedAs);
        }
    }

    /** One page of the outbox as an administrator filtered it, newest first; {@code hasNext}: older scores follow. */
    @RegisterForReflection
    public record ScorePage(List<ScoreView> scores, ScoreFilter filter, int pageSize, boolean hasNext) {
    }

    /** The answer to a leaf's score: the leaf score kept and the outbox rows it wrote or moved. */
    @RegisterForReflection
    public record LeafAccepted(UUID id, String status, UUID leafScoreId, List<UUID> scores) {
    }

    /** The outbox as the dashboard shows it: scores waiting to be sent and when the oldest was accepted. */
    @RegisterForReflection
    public record OutboxState(long pending, Instant oldestPending) {
    }

    /**
     * A platform (1.3 registration or 1.1 consumer) whose score deliveries are failing: scores still retrying
     * after an error, scores given up on, and the platform's latest reason.
     */
    @RegisterForReflection
    public record FailingPlatform(PlatformSource platform, long retrying, long failed, String latestReason,
            Instant latestAt) {
    }
}
