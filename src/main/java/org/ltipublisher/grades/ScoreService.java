package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.ltipublisher.web.Rejection;

/** Records scores reported by the content; delivering them to the platform builds on these rows. */
@ApplicationScoped
public class ScoreService {

    private final EntityManager em;
    private final Clock clock;

    public ScoreService(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional
    public Score record(UUID accountId, UUID resourceId, UUID resourceLinkId, BigDecimal given, BigDecimal maximum,
            String comment) {
        if (given == null) {
            throw Rejection.unprocessable("missing_score", "scoreGiven is required");
        }
        if (given.signum() < 0) {
            throw Rejection.unprocessable("negative_score", "scoreGiven must not be negative, not " + given);
        }
        if (given.compareTo(maximum) > 0) {
            throw Rejection.unprocessable("score_above_maximum",
                    "scoreGiven " + given + " is above the maximum " + maximum);
        }
        Score score = new Score();
        score.id = UUID.randomUUID();
        score.accountId = accountId;
        score.resourceId = resourceId;
        score.resourceLinkId = resourceLinkId;
        score.scoreGiven = given;
        score.scoreMaximum = maximum;
        score.comment = comment == null || comment.isBlank() ? null : comment.trim();
        score.activityProgress = "Completed";
        score.gradingProgress = "FullyGraded";
        score.scoredAt = score.createdAt = clock.instant();
        em.persist(score);
        return score;
    }

    @Transactional
    public List<Score> forUser(UUID accountId, UUID resourceId) {
        return em.createQuery("from Score where accountId = ?1 and resourceId = ?2 order by createdAt desc", Score.class)
                .setParameter(1, accountId).setParameter(2, resourceId).getResultList();
    }
}
