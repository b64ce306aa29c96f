package org.ltipublisher.review;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.admission.AdmissionStore;
import org.ltipublisher.admission.LaunchOutcome;
import org.ltipublisher.grades.LearnerScores;
import org.ltipublisher.launch.MessageHandler;
import org.ltipublisher.launch.VerifiedIdToken;
import org.ltipublisher.lti.LtiClaims;
import org.ltipublisher.lti.LtiRoles;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.lti.ToolPaths;
import org.ltipublisher.web.Rejection;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * LtiSubmissionReviewRequest (LTI AGS 2.0 §4.6, Submission Review 1.0): a teacher opens a learner's
 * submission from the platform's gradebook, and the tool shows that learner's scores on the link and how
 * far each got on its way to the gradebook. Teachers and administrators only: a learner may not look at
 * another learner's work.
 */
@ApplicationScoped
public class SubmissionReviewHandler implements MessageHandler {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance review(Review review);
    }

    /** What the review page shows. */
    public record Review(String resourceLinkTitle, String learner, String learnerEmail, List<Line> scores) {
    }

    /** One score, ready to show: the grade, the progress, when, and its delivery status (with the last error). */
    public record Line(String score, String progress, String scoredAt, String status, String comment) {

        static Line of(LearnerScores.ScoreLine s) {
            String score = s.scoreGiven() == null ? "–" : plain(s.scoreGiven())
                    + (s.scoreMaximum() == null ? "" : " / " + plain(s.scoreMaximum()));
            String progress = String.join(" ", Stream.of(s.activityProgress(), s.gradingProgress())
                    .filter(Objects::nonNull).toList());
            String status = s.status().name() + (s.lastError() == null ? "" : " (" + s.lastError() + ")");
            return new Line(score, progress, s.scoredAt() == null ? "" : s.scoredAt().toString(), status,
                    s.comment());
        }

        private static String plain(BigDecimal value) {
            return value.stripTrailingZeros().toPlainString();
        }
    }

    private final AdmissionStore placements;
    private final LearnerScores scores;

    public SubmissionReviewHandler(AdmissionStore placements, LearnerScores scores) {
        this.placements = placements;
        this.scores = scores;
    }

    @Override
    public String messageType() {
        return LtiClaims.SUBMISSION_REVIEW_REQUEST;
    }

    @Override
    public String targetPath() {
        return ToolPaths.LAUNCH;
    }

    @Override
    public String label(String toolName) {
        return "Review in " + toolName;
    }

    @Override
    public boolean assumedWhenPlatformListsNone() {
        return false;
    }

    @Override
    public int advertisedOrder() {
        return 2;
    }

    @Override
    public Admittance accept(VerifiedIdToken token, LaunchContext context) {
        SubmissionReviewRequest request = SubmissionReviewRequest.of(token);
        if (LtiRoles.classify(token.roles()) != RoleClass.INSTRUCTOR) {
            throw Rejection.forbidden("submission_review_not_allowed", "only teachers and administrators can review "
                    + "a learner's submission; the platform sent the roles " + token.roles());
        }
        return deployment -> {
            AdmissionStore.KnownLink link = placements.findLink(deployment.id, request.resourceLink().id())
                    .orElseThrow(() -> Rejection.notFound("unknown_resource_link", "no one has launched the resource "
                            + "link '" + request.resourceLink().id() + "' from this platform yet, so there is no "
                            + "submission to review"));
            String learnerId = request.forUser().userId();
            if (!placements.knowsPlatformUser(token.issuer(), learnerId)) {
                throw Rejection.notFound("unknown_learner", "the learner '" + learnerId + "' has never opened "
                        + "this tool from this platform, so there is no submission to review");
            }
            SubmissionReviewRequest.Learner learner = request.forUser();
            Review review = new Review(link.title(), learner.name() == null ? learnerId : learner.name(),
                    learner.email(), scores.onLink(link.linkRowId(), token.issuer(), learnerId).stream()
                            .map(Line::of).toList());
            return new LaunchOutcome.Page(Templates.review(review), null, "submission_review");
        };
    }
}
