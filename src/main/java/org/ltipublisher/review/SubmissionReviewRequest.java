package org.ltipublisher.review;

import java.util.Map;

import org.ltipublisher.launch.VerifiedIdToken;
import org.ltipublisher.lti.AgsClaim;
import org.ltipublisher.lti.ClaimValues;
import org.ltipublisher.lti.LtiClaims;
import org.ltipublisher.lti.ResourceLinkClaim;
import org.ltipublisher.web.Rejection;

/**
 * An LtiSubmissionReviewRequest's own claims (LTI AGS 2.0 §4.6, Submission Review 1.0 §3.2): the resource
 * link, the learner whose submission is reviewed ({@code for_user}) and the AGS endpoint claim.
 */
public record SubmissionReviewRequest(VerifiedIdToken token, ResourceLinkClaim resourceLink, Learner forUser,
        AgsClaim ags) {

    /** The for_user claim: the learner's platform user id, and the name the platform shows. */
    public record Learner(String userId, String name, String email) {
    }

    public static SubmissionReviewRequest of(VerifiedIdToken token) {
        ResourceLinkClaim resourceLink = ResourceLinkClaim.of(token.object(LtiClaims.RESOURCE_LINK));
        if (resourceLink == null) {
            throw Rejection.badRequest("missing_resource_link", "the submission review request has no resource_link "
                    + "id: the platform must name the link whose submission is reviewed");
        }
        Map<?, ?> forUser = token.object(LtiClaims.FOR_USER);
        String userId = forUser == null ? null : ClaimValues.text(forUser.get("user_id"));
        if (userId == null) {
            throw Rejection.badRequest("missing_for_user", "the submission review request has no for_user claim with "
                    + "a user_id: the platform must name the learner whose submission is reviewed");
        }
        AgsClaim ags = AgsClaim.of(token.object(LtiClaims.AGS_ENDPOINT));
        if (ags == null) {
            throw Rejection.badRequest("missing_ags_endpoint", "the submission review request has no AGS endpoint "
                    + "claim (" + LtiClaims.AGS_ENDPOINT + "): a submission review is about a graded link");
        }
        String name = ClaimValues.text(forUser.get("name"));
        if (name == null) {
            String joined = ((textOrEmpty(forUser.get("given_name"))) + " "
                    + textOrEmpty(forUser.get("family_name"))).trim();
            name = joined.isEmpty() ? null : joined;
        }
        return new SubmissionReviewRequest(token, resourceLink,
                new Learner(userId, name, ClaimValues.text(forUser.get("email"))), ags);
    }

    private static String textOrEmpty(Object value) {
        String text = ClaimValues.text(value);
        return text == null ? "" : text;
    }
}
