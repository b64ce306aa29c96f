package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.admission.HandOff;

/**
 * What the sample activity's page shows of a learner's grades, read in autocommit (two single statements, no
 * transaction): their scores on the launched link (issue 12: an LTI 1.1 and a 1.3 link to one resource are two
 * gradebooks) and the launched subtree with their leaf scores.
 */
@ApplicationScoped
public class ActivityGrades {

    /** Scores listed on the page. */
    static final int LISTED = 20;

    private final LinkScoreStore scores;
    private final AggregateStore tree;

    public ActivityGrades(LinkScoreStore scores, AggregateStore tree) {
        this.scores = scores;
        this.tree = tree;
    }

    /** One score as the page lists it. */
    public record ScoreLine(BigDecimal scoreGiven, BigDecimal scoreMaximum, Instant createdAt, ScoreStatus status) {
    }

    /** The learner's scores on the link, newest first, and the subtree's nodes when the resource has children. */
    public record Page(List<ScoreLine> scores, List<AggregateStore.SubtreeNode> children) {
    }

    public Page of(HandOff launch) {
        List<AggregateStore.SubtreeNode> nodes = tree.subtree(launch.resourceId(), launch.accountId());
        return new Page(scores.newest(launch.accountId(), launch.resourceId(), launch.resourceLinkId(), LISTED),
                nodes.size() > 1 ? nodes : List.of());
    }
}
