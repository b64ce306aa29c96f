package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.admission.HandOff;
import org.ltipublisher.db.AdvisoryLocks;
import org.ltipublisher.grades.AggregateStore.Aggregate;
import org.ltipublisher.grades.AggregateStore.Contribution;
import org.ltipublisher.grades.AggregateStore.LeafRow;
import org.ltipublisher.grades.AggregateStore.ReachedLink;
import org.ltipublisher.grades.ScoreDtos.ScoreSubmission;
import org.ltipublisher.resources.ContentTreeStore;
import org.ltipublisher.resources.IncompleteGrades;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.web.Rejection;

/**
 * Scores of leaves inside a content tree (issue 13). A leaf's score is kept per learner; the leaf's own
 * links get it at once; every ancestor the learner reached through a platform link gets its aggregate,
 * sent after {@code lti.grades.aggregation-delay} of quiet (one debounced outbox row per learner and link).
 *
 * <p>The rule (Open edX's subsection grade): grade(node) = node.maxGrade × Σ(wᵢ × earnedᵢ / maxᵢ) / Σ wᵢ over
 * the node's leaves i, an unscored leaf earning 0; a node whose leaves all weigh 0 has no grade.
 */
@ApplicationScoped
public class TreeGrades {

    private static final MathContext RATIO = MathContext.DECIMAL64;

    /** What a leaf score caused: the leaf score kept, and the outbox rows written or moved. */
    public record LeafOutcome(UUID leafScoreId, UUID launchScoreId, List<UUID> scoreIds) {
    }

    private final ScoreService scores;
    private final PublishedResourceService resources;
    private final ContentTreeStore tree;
    private final AggregateStore store;
    private final AdvisoryLocks locks;
    private final GradesConfig config;
    private final Clock clock;

    public TreeGrades(ScoreService scores, PublishedResourceService resources, ContentTreeStore tree,
            AggregateStore store, AdvisoryLocks locks, GradesConfig config, Clock clock) {
        this.scores = scores;
        this.resources = resources;
        this.tree = tree;
        this.store = store;
        this.locks = locks;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A content application's score for leaf {@code submission.resourceId} inside the launched node (or the
     * launched node itself when it is a leaf).
     */
    @Transactional
    public LeafOutcome acceptLeafFromContent(UUID credentialResourceId, HandOff launch, ScoreSubmission submission) {
        if (!launch.resourceId().equals(credentialResourceId)) {
            throw Rejection.forbidden("credential_of_another_resource", "the content credential belongs to another "
                    + "published resource than the launch token: each resource's content reports with its own credential");
        }
        return accept(launch, submission);
    }

    /**
     * The sample activity's form for one leaf of the launched node, recorded server-side: only for a node that
     * has no content application of its own (else the form would be a way around that content's credential).
     */
    @Transactional
    public LeafOutcome acceptLeafFromSampleActivity(HandOff launch, String leafId, BigDecimal scoreGiven,
            String comment) {
        PublishedResource launched = resources.find(launch.resourceId()).orElseThrow(() -> Rejection.notFound(
                "unknown_resource", "the resource " + launch.resourceId() + " no longer exists"));
        if (launched.contentUrl != null) {
            throw Rejection.forbidden("not_sample_activity", "this resource's content is served by its own content "
                    + "application, which reports the scores; the sample activity records none for it");
        }
        return accept(launch, new ScoreSubmission(scoreGiven, null, comment, null, null, null, null, null, null, null,
                null, leafId == null ? "" : leafId));
    }

    private LeafOutcome accept(HandOff launch, ScoreSubmission submission) {
        UUID leafId = leafId(submission.resourceId());
        PublishedResource leaf = resources.find(leafId).orElseThrow(() -> Rejection.unprocessable("unknown_leaf",
                "resourceId " + leafId + " is not a published resource"));
        List<UUID> path = tree.selfAndAncestors(leafId);
        if (!path.contains(launch.resourceId())) {
            throw Rejection.forbidden("leaf_outside_launch", "resource " + leafId + " is not inside the launched "
                    + "resource " + launch.resourceId() + ": a score is reported only for the launched content");
        }
        if (tree.hasChildren(leafId)) {
            throw Rejection.unprocessable("not_a_leaf", "resource " + leafId + " has children: its grade is computed "
                    + "from theirs; report a score for one of its leaves");
        }
        ScoreService.Checked checked = scores.check(leaf, submission, null);
        if (checked.given() == null) {
            throw Rejection.unprocessable("missing_score", "scoreGiven is required for a leaf's score");
        }
        // one learner's leaf scores take turns, so each aggregate reads the others' committed scores
        locks.lockForTransaction("leaf-scores:" + launch.accountId());
        Instant now = clock.instant();
        UUID leafScoreId = store.upsertLeafScore(launch.accountId(), leafId, checked.given(), checked.maximum(), now);

        Map<UUID, ReachedLink> links = new LinkedHashMap<>();
        for (UUID node : path) {
            store.reachedLinks(launch.accountId(), node).forEach(l -> links.putIfAbsent(l.linkRowId(), l));
        }
        if (launch.resourceLinkId() != null) { // the launch's own link, LTI 1.3 or 1.1, names the learner itself
            links.put(launch.resourceLinkId(), new ReachedLink(launch.resourceLinkId(), launch.resourceId(),
                    launch.platformIssuer(), launch.platformUserId()));
        }
        List<UUID> written = new ArrayList<>();
        UUID launchScore = null;
        Map<UUID, Optional<Aggregate>> byNode = new LinkedHashMap<>();
        for (ReachedLink link : links.values()) {
            UUID id;
            if (link.resourceId().equals(leafId)) {
                id = scores.store(new ScoreTarget(launch.accountId(), leafId, link.linkRowId(), link.issuer(),
                        link.subject()), leaf, checked, "CONTENT").id;
            } else {
                Optional<Aggregate> aggregate = byNode.computeIfAbsent(link.resourceId(),
                        node -> aggregate(node, launch.accountId()));
                if (aggregate.isEmpty()) {
                    continue;
                }
                Aggregate a = aggregate.get();
                locks.lockForTransaction("score:" + launch.accountId() + ":" + link.linkRowId());
                id = store.upsertAggregate(new Aggregate(a.accountId(), a.resourceId(), link.linkRowId(), link.issuer(),
                        link.subject(), a.scoreGiven(), a.scoreMaximum(), a.activityProgress(), a.gradingProgress(),
                        a.contributions()), now, now.plus(config.aggregationDelay()));
            }
            written.add(id);
            if (link.linkRowId().equals(launch.resourceLinkId())) {
                launchScore = id;
            }
        }
        return new LeafOutcome(leafScoreId, launchScore, written);
    }

    /** The leaf scores an aggregated score was computed from (empty for any other score). */
    @Transactional
    public List<Contribution> contributions(UUID scoreId) {
        return store.contributions(scoreId);
    }

    /** The node's grade for the learner by the rule above, or empty when it is not to be sent (yet). */
    Optional<Aggregate> aggregate(UUID nodeId, UUID accountId) {
        PublishedResource node = resources.find(nodeId).orElse(null);
        if (node == null) {
            return Optional.empty();
        }
        List<LeafRow> leaves = store.leaves(nodeId, accountId);
        BigDecimal weights = BigDecimal.ZERO;
        BigDecimal earned = BigDecimal.ZERO;
        boolean complete = true;
        List<Contribution> contributions = new ArrayList<>();
        for (LeafRow leaf : leaves) {
            weights = weights.add(leaf.weight());
            if (leaf.leafScoreId() == null) {
                complete = false;
                contributions.add(new Contribution(leaf.leafId(), null, null, leaf.maxGrade(), leaf.weight()));
                continue;
            }
            earned = earned.add(leaf.weight().multiply(leaf.scoreGiven()).divide(leaf.scoreMaximum(), RATIO));
            contributions.add(new Contribution(leaf.leafId(), leaf.leafScoreId(), leaf.scoreGiven(),
                    leaf.scoreMaximum(), leaf.weight()));
        }
        if (weights.signum() == 0) {
            return Optional.empty();
        }
        if (!complete && node.incompleteGrades == IncompleteGrades.ONLY_WHEN_COMPLETE) {
            return Optional.empty();
        }
        BigDecimal grade = earned.multiply(node.maxGrade).divide(weights, RATIO)
                .setScale(ScoreService.SCORE_SCALE, RoundingMode.HALF_UP);
        if (grade.compareTo(node.maxGrade) > 0) {
            grade = node.maxGrade; // rounding of ratios must not put a grade above its maximum
        }
        // AGS §3.4.3 / §3.4.4: a partial grade says the work is still going on
        return Optional.of(new Aggregate(accountId, nodeId, null, null, null, grade, node.maxGrade,
                complete ? "Completed" : "InProgress", complete ? "FullyGraded" : "Pending", contributions));
    }

    private static UUID leafId(String value) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw Rejection.unprocessable("invalid_resource_id", "resourceId must be a published resource's id (a UUID)");
        }
    }
}
