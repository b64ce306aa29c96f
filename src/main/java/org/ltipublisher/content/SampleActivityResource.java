package org.ltipublisher.content;

import org.ltipublisher.admission.HandOffService;

import org.ltipublisher.admission.HandOff;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.ltipublisher.grades.ActivityGrades;
import org.ltipublisher.grades.Score;
import org.ltipublisher.grades.ScoreService;
import org.ltipublisher.grades.TreeGrades;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.web.BrowserForms;
import org.ltipublisher.web.Rejection;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The built-in content for resources without a content URL: shows the launch and records a score. */
@Path("/activity/{resourceId}")
@Produces(MediaType.TEXT_HTML)
public class SampleActivityResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance activity(PublishedResource resource, HandOff launch, String launchToken,
                ActivityGrades.Page grades, String message);
    }

    private final HandOffService handOffs;
    private final PublishedResourceService resources;
    private final ScoreService scores;
    private final BrowserForms browserForms;
    private final TreeGrades treeGrades;
    private final ActivityGrades activityGrades;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    public SampleActivityResource(HandOffService handOffs, PublishedResourceService resources, ScoreService scores,
            BrowserForms browserForms, TreeGrades treeGrades, ActivityGrades activityGrades) {
        this.treeGrades = treeGrades;
        this.activityGrades = activityGrades;
        this.handOffs = handOffs;
        this.resources = resources;
        this.scores = scores;
        this.browserForms = browserForms;
    }

    @GET
    public TemplateInstance show(@PathParam("resourceId") UUID resourceId, @RestQuery("launch_token") String token) {
        HandOff launch = launchFor(resourceId, token);
        return page(resource(resourceId), launch, token, null);
    }

    @POST
    @Path("/score")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance score(@PathParam("resourceId") UUID resourceId, @RestForm("launch_token") String token,
            @RestForm BigDecimal scoreGiven, @RestForm String comment, @RestForm(BrowserForms.FIELD) String csrfToken,
            @RestForm String leafId) {
        browserForms.verify(headers, uriInfo, csrfToken);
        HandOff launch = launchFor(resourceId, token);
        PublishedResource resource = resource(resourceId);
        if (leafId != null) {
            // one problem of a launched unit or course: kept per learner, aggregated into the node's grade
            treeGrades.acceptLeafFromSampleActivity(launch, leafId, scoreGiven, comment);
            return page(resource, launch, token, "Score " + (scoreGiven == null ? "" : scoreGiven.stripTrailingZeros()
                    .toPlainString()) + " recorded for this problem; the grade is sent to your course's gradebook.");
        }
        // server-side, through the same intake as POST /api/v1/scores (bounds, resource maximum, outbox)
        Score recorded = scores.acceptFromSampleActivity(launch, scoreGiven, comment);
        return page(resource, launch, token,
                "Score " + recorded.scoreGiven.stripTrailingZeros().toPlainString() + " / "
                        + recorded.scoreMaximum.stripTrailingZeros().toPlainString()
                        + " recorded; it is sent to your course's gradebook shortly.");
    }

    private TemplateInstance page(PublishedResource resource, HandOff launch, String token, String message) {
        return Templates.activity(resource, launch, token, activityGrades.of(launch), message);
    }

    private HandOff launchFor(UUID resourceId, String token) {
        HandOff launch = handOffs.verify(token);
        if (!launch.resourceId().equals(resourceId)) {
            throw Rejection.forbidden("wrong_resource", "this launch token is for another resource");
        }
        return launch;
    }

    private PublishedResource resource(UUID id) {
        return resources.find(id).orElseThrow(
                () -> Rejection.notFound("unknown_resource", "no published resource with id " + id));
    }
}
