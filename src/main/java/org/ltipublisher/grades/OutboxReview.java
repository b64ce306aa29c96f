package org.ltipublisher.grades;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.grades.ScoreDtos.ScorePage;
import org.ltipublisher.grades.ScoreDtos.ScoreView;
import org.ltipublisher.grades.ScoreService.ReplayReport;
import org.ltipublisher.provenance.PlatformSource;
import org.ltipublisher.web.Rejection;

/**
 * The administrator's view of the score outbox (admin API and console alike): scores by status, platform,
 * resource and learner with the platform's reason for each failure, and replays of one, several or every
 * failed score a filter matches, all through {@link ScoreService#replayAll}.
 */
@ApplicationScoped
public class OutboxReview {

    /** Most scores one request replays; the rest wait for the next request (the page shows what is left). */
    public static final int MAX_REPLAY = 1000;

    private final ScoreSearchStore search;
    private final ScoreIntakeStore intake;
    private final ScoreService scores;

    public OutboxReview(ScoreSearchStore search, ScoreIntakeStore intake, ScoreService scores) {
        this.search = search;
        this.intake = intake;
        this.scores = scores;
    }

    /** One page of {@code pageSize} matching scores, newest first, each naming its platform or consumer. */
    public ScorePage search(ScoreFilter filter, int pageSize) {
        int offset = (filter.page() - 1) * pageSize;
        List<ScoreView> found = search.find(filter, pageSize + 1, offset);
        boolean hasNext = found.size() > pageSize;
        List<ScoreView> page = hasNext ? found.subList(0, pageSize) : found;
        Map<UUID, PlatformSource> platforms = intake.platformsOfLinks(page.stream().map(ScoreView::resourceLinkId).toList());
        return new ScorePage(page.stream().map(s -> s.withPlatform(s.resourceLinkId() == null ? null
                : platforms.get(s.resourceLinkId()))).toList(), filter, pageSize, hasNext);
    }

    /** Replays the chosen scores, all or none (an unknown id refuses the lot); scores not replayable are counted. */
    public ReplayReport replay(List<UUID> ids) {
        if (ids.isEmpty()) {
            throw Rejection.badRequest("no_score_selected", "select at least one failed score to replay");
        }
        if (ids.size() > MAX_REPLAY) {
            throw Rejection.badRequest("too_many_scores", "at most " + MAX_REPLAY + " scores are replayed at once, not "
                    + ids.size() + ": select fewer, or use \"Replay all failed\" with a filter");
        }
        return scores.replayAll(ids);
    }

    /**
     * Replays every failed score the filter's platform, resource and learner match (its status is ignored) that
     * is not replayed yet and still its learner's newest on its link, oldest first, at most {@link #MAX_REPLAY}.
     * A second request finds them replayed and replays nothing.
     */
    public ReplayReport replayFailed(ScoreFilter filter) {
        return scores.replayAll(search.failedToReplay(filter, MAX_REPLAY));
    }
}
