package org.ltipublisher.grades;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.admission.HandOffService;
import org.ltipublisher.grades.ScoreDtos.Accepted;
import org.ltipublisher.grades.ScoreDtos.LeafAccepted;
import org.ltipublisher.grades.ScoreDtos.ScoreSubmission;
import org.ltipublisher.grades.ScoreDtos.ScoreView;
import org.ltipublisher.resources.ContentCredentials;
import org.ltipublisher.web.Rejection;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/v1/scores")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scores")
public class ScoreResource {

    /** Where the content puts the learner's launch token when it reports a score. */
    public static final String LAUNCH_TOKEN_HEADER = "LTI-Launch-Token";

    private final ScoreService scores;
    private final HandOffService handOffs;
    private final ContentCredentials credentials;
    private final TreeGrades treeGrades;
    private final OutboxReview review;

    @Inject
    SecurityIdentity identity;

    public ScoreResource(ScoreService scores, HandOffService handOffs, ContentCredentials credentials,
            TreeGrades treeGrades, OutboxReview review) {
        this.scores = scores;
        this.handOffs = handOffs;
        this.credentials = credentials;
        this.treeGrades = treeGrades;
        this.review = review;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report a score: the content application's credential (Authorization: Basic keyId:secret) "
            + "with the learner's launch token in the LTI-Launch-Token header (user and link implied), or an admin "
            + "token (body names issuer, userId, resourceLinkId). scoreMaximum is the resource's maxGrade. Answered "
            + "202; the score is sent to the platform later.")
    public RestResponse<?> post(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(LAUNCH_TOKEN_HEADER) String launchToken, ScoreSubmission submission) {
        Score score;
        if (submission != null && submission.resourceId() != null && !isAdmin()) {
            // a leaf of a content tree: kept per learner, sent to its links and aggregated into its ancestors
            UUID resourceId = credentials.verify(authorization);
            TreeGrades.LeafOutcome outcome = treeGrades.acceptLeafFromContent(resourceId, handOffs.verify(launchToken),
                    submission);
            return RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED)
                    .entity(new LeafAccepted(outcome.launchScoreId(), outcome.launchScoreId() == null
                            ? "waiting_for_completion" : "pending", outcome.leafScoreId(), outcome.scoreIds()))
                    .build();
        }
        if (isAdmin()) {
            score = scores.acceptForPlatformUser(submission);
        } else {
            // the content credential first: without it, nothing about the launch token is looked at
            UUID resourceId = credentials.verify(authorization);
            score = scores.acceptFromContent(resourceId, handOffs.verify(launchToken), submission);
        }
        return RestResponse.ResponseBuilder.<Accepted>create(RestResponse.Status.ACCEPTED)
                .location(URI.create("/api/v1/scores/" + score.id))
                .entity(new Accepted(score.id, score.status.name().toLowerCase())).build();
    }

    @GET
    @RolesAllowed("admin")
    @Operation(summary = "Scores by outbox status (pending, retrying, sent, failed, superseded), platform "
            + "(registration id), resource (published resource id) and user (platform user id or account id), newest "
            + "first, limit per page, with attempts and the platform's reason")
    public List<ScoreView> list(@QueryParam("status") String status, @QueryParam("platform") String platform,
            @QueryParam("resource") String resource, @QueryParam("user") String user, @QueryParam("page") String page,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw Rejection.badRequest("invalid_limit", "limit must be between 1 and 1000, not " + limit);
        }
        return review.search(ScoreFilter.of(status, platform, resource, user, page), limit).scores();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed("admin")
    public ScoreView get(@PathParam("id") UUID id) {
        return scores.get(id).withContributions(treeGrades.contributions(id));
    }

    @POST
    @Path("/{id}/replay")
    @RolesAllowed("admin")
    @Operation(summary = "Send a failed score again (as a new score with a fresh timestamp); once: a score replayed "
            + "already, pending or sent is refused (409) and nothing is sent")
    public RestResponse<Accepted> replay(@PathParam("id") UUID id) {
        Score replayed = scores.replay(id);
        return RestResponse.ResponseBuilder.<Accepted>create(RestResponse.Status.ACCEPTED)
                .location(URI.create("/api/v1/scores/" + replayed.id))
                .entity(new Accepted(replayed.id, replayed.status.name().toLowerCase())).build();
    }

    /**
     * An admin JWT in the Authorization header? Authentication is lazy (quarkus.http.auth.proactive=false),
     * so a launch token or content credential there fails it; that is not an error here, the content credential
     * is checked next.
     */
    private boolean isAdmin() {
        try {
            return !identity.isAnonymous() && identity.hasRole("admin");
        } catch (RuntimeException notAnAdminToken) {
            return false;
        }
    }
}
