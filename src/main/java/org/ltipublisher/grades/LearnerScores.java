package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * A learner's scores on one resource link and where each is in the outbox: what a teacher reviewing the
 * learner's submission sees (LTI AGS 2.0 §4.6). Reads only.
 */
@ApplicationScoped
public class LearnerScores {

    private final EntityManager em;

    public LearnerScores(EntityManager em) {
        this.em = em;
    }

    /** One score as the review shows it; {@code lastError} says why a delivery failed or is being retried. */
    public record ScoreLine(BigDecimal scoreGiven, BigDecimal scoreMaximum, String comment, String activityProgress,
            String gradingProgress, Instant scoredAt, ScoreStatus status, int attempts, Instant sentAt,
            String lastError) {
    }

    /** The platform user's scores on the link, newest first. */
    @Transactional
    public List<ScoreLine> onLink(UUID resourceLinkRowId, String platformIssuer, String platformUserId) {
        return em.createQuery("from Score where resourceLinkId = ?1 and platformIssuer = ?2 and platformSubject = ?3 "
                + "order by createdAt desc", Score.class)
                .setParameter(1, resourceLinkRowId).setParameter(2, platformIssuer).setParameter(3, platformUserId)
                .setMaxResults(50).getResultStream()
                .map(s -> new ScoreLine(s.scoreGiven, s.scoreMaximum, s.comment, s.activityProgress,
                        s.gradingProgress, s.scoredAt, s.status, s.attempts, s.sentAt, s.lastError))
                .toList();
    }

    /**
     * A learner's newest score on one graded node of a link: today the link's own resource; nodes that are
     * graded under the same link appear as further rows. {@code lastError} is the platform's reason for a failure.
     */
    public record NodeScore(UUID scoreId, UUID accountId, String platformIssuer, String platformUserId, UUID nodeId,
            BigDecimal scoreGiven, BigDecimal scoreMaximum, ScoreStatus status, int attempts, Instant scoredAt,
            Instant sentAt, String lastError) {
    }

    /** Every learner's newest score per graded node of the link (what the instructor view lists). */
    @Transactional
    public List<NodeScore> latestOnLink(UUID resourceLinkRowId) {
        return em.createQuery("from Score s where s.resourceLinkId = ?1 and not exists (select 1 from Score n where "
                + "n.accountId = s.accountId and n.resourceId = s.resourceId and n.resourceLinkId = s.resourceLinkId "
                + "and (n.createdAt > s.createdAt or (n.createdAt = s.createdAt and n.scoredAt > s.scoredAt))) "
                + "order by s.createdAt desc", Score.class)
                .setParameter(1, resourceLinkRowId).setMaxResults(5000).getResultStream()
                .map(s -> new NodeScore(s.id, s.accountId, s.platformIssuer, s.platformSubject, s.resourceId,
                        s.scoreGiven, s.scoreMaximum, s.status, s.attempts, s.scoredAt, s.sentAt, s.lastError))
                .toList();
    }
}
