package org.ltipublisher.instructor;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.WithPlatformServices;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The instructor view ("Grades and delivery") over real HTTP against a simulated platform: reached from an
 * instructor's launch, it lists the course's learners with their grades and delivery (a score the platform
 * refused, with the platform's reason), retries failed deliveries and starts a grade sync. A learner's launch,
 * a missing launch and forged form posts are refused and change nothing.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class InstructorViewTest extends WithPlatformServices {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";

    @Inject
    DataSource db;

    record Course(Registered reg, Published res) {
    }

    static Course course(boolean gradeSync) {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish(Map.of("title", "Problem " + UUID.randomUUID(), "kind", "problem",
                "maxGrade", 10, "gradeSync", gradeSync, "studentProvisioning", "auto", "teacherProvisioning", "auto"));
        return new Course(reg, res);
    }

    /** A launch of the course's link by {@code sub} with {@code role} (null: learner); the location it redirects to. */
    static String launch(Course c, LtiBrowser browser, String sub, String role) {
        LaunchSpec spec = LaunchSpec.resourceLink(c.reg().issuer(), c.reg().clientId(), c.reg().deploymentId(),
                c.res().launchUrl(), sub);
        if (role != null) {
            spec.roles(role);
        }
        Response launch = browser.launch(platform, c.reg(), c.res().launchUrl(), spec);
        assertEquals(303, launch.statusCode(), launch.asString());
        return launch.header("Location");
    }

    static String token(String location) {
        return URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
    }

    static String score(Course c, String token, double given) {
        return ContentApi.as(ContentApi.credential(c.res().id()), token).body(Map.of("scoreGiven", given))
                .post("/api/v1/scores").then().statusCode(202).extract().path("id");
    }

    String status(String scoreId) {
        return DbCounts.text(db, "select status from score where id = ?::uuid", scoreId);
    }

    static String view(Course c, String token) {
        return "/instructor/" + c.res().id() + "?launch_token="
                + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    static Response postForm(LtiBrowser browser, Course c, String action, String token) {
        return browser.formRequest().formParam("launch_token", token)
                .post("/instructor/" + c.res().id() + "/" + action);
    }

    @Test
    void instructorSeesAFailedDeliveryWithItsReasonAndRetriesIt() {
        Course c = course(false);
        String delivered = "learner-" + UUID.randomUUID();
        String refused = "learner-" + UUID.randomUUID();
        services.refuseUser(refused, 400, "{\"error\":\"User is not gradable: role cannot be graded\"}");
        String sent = score(c, token(launch(c, new LtiBrowser(), delivered, null)), 7.5);
        String failed = score(c, token(launch(c, new LtiBrowser(), refused, null)), 4);
        Eventually.await(WAIT, () -> "SENT".equals(status(sent)), () -> "score is " + status(sent));
        Eventually.await(WAIT, () -> "FAILED".equals(status(failed)), () -> "score is " + status(failed));

        // the instructor's launch lands on the sample activity, which offers the view
        LtiBrowser teacher = new LtiBrowser();
        String activity = launch(c, teacher, "teacher-" + UUID.randomUUID(), INSTRUCTOR);
        String teacherToken = token(activity);
        Response activityPage = teacher.get(activity);
        assertEquals(200, activityPage.statusCode(), activityPage.asString());
        assertTrue(activityPage.asString().contains("Grades and delivery"), activityPage.asString());
        assertTrue(activityPage.asString().contains("/instructor/" + c.res().id() + "?launch_token="),
                activityPage.asString());

        Response page = teacher.get(view(c, teacherToken));
        assertEquals(200, page.statusCode(), page.asString());
        String html = page.asString();
        assertTrue(html.contains(delivered) && html.contains(refused), html);
        assertTrue(html.contains("7.5 / 10") && html.contains("4 / 10"), html);
        assertTrue(html.contains("class=\"delivery sent\""), html);
        assertTrue(html.contains("class=\"delivery failed\""), html);
        assertTrue(html.contains("not gradable"), html);
        assertTrue(html.contains("Retry failed (1)"), html);
        assertTrue(html.contains("LTI 1.3"), html);

        // the platform accepts the learner now; retry delivers the grade
        services.clearFaults();
        Response retried = postForm(teacher, c, "retry-failed", teacherToken);
        assertEquals(200, retried.statusCode(), retried.asString());
        assertTrue(retried.asString().contains("1 failed grade was queued again"), retried.asString());
        Eventually.await(WAIT, () -> DbCounts.scalar(db, "select count(*) from score where platform_subject = ? "
                + "and status = 'SENT' and origin = 'REPLAY'", refused) == 1, () -> "the replayed score is not sent");
        assertEquals(1, services.scoresFor(refused).size());
        assertEquals(4.0, services.scoresFor(refused).get(0).body().path("scoreGiven").asDouble());

        String after = teacher.get(view(c, teacherToken)).asString();
        assertFalse(after.contains("class=\"delivery failed\""), after);
        assertTrue(after.contains("Retry failed (0)"), after);
        // a second retry replays nothing
        long scores = DbCounts.scalar(db, "select count(*) from score");
        Response again = postForm(teacher, c, "retry-failed", teacherToken);
        assertTrue(again.asString().contains("No failed grade to retry"), again.asString());
        assertEquals(scores, DbCounts.scalar(db, "select count(*) from score"));
    }

    @Test
    void learnersAndLaunchlessRequestsAreRefused() {
        Course c = course(false);
        String learner = "learner-" + UUID.randomUUID();
        LtiBrowser learnerBrowser = new LtiBrowser();
        String learnerToken = token(launch(c, learnerBrowser, learner, null));
        score(c, learnerToken, 6);

        // the learner's sample activity does not offer the view, and the URL answers 403 with the reason
        String activity = learnerBrowser.get("/activity/" + c.res().id() + "?launch_token="
                + java.net.URLEncoder.encode(learnerToken, StandardCharsets.UTF_8)).asString();
        assertFalse(activity.contains("Grades and delivery"), activity);
        Response refused = learnerBrowser.get(view(c, learnerToken));
        assertEquals(403, refused.statusCode(), refused.asString());
        assertTrue(refused.asString().contains("only teachers and administrators"), refused.asString());
        assertFalse(refused.asString().contains("6 / 10"), refused.asString());

        // no launch at all, a forged token, an instructor token of another resource
        Response none = given().get("/instructor/" + c.res().id());
        assertEquals(401, none.statusCode(), none.asString());
        assertTrue(none.asString().contains("missing_launch_token"), none.asString());
        assertEquals(401, given().get(view(c, "not-a-token")).statusCode());
        Response badPath = given().get("/instructor/not-a-resource?launch_token=x");
        assertEquals(404, badPath.statusCode(), badPath.asString());
        Course other = course(false);
        String otherTeacher = token(launch(other, new LtiBrowser(), "teacher-" + UUID.randomUUID(), INSTRUCTOR));
        Response elsewhere = given().get(view(c, otherTeacher));
        assertEquals(403, elsewhere.statusCode(), elsewhere.asString());
        assertTrue(elsewhere.asString().contains("wrong_resource"), elsewhere.asString());
    }

    @Test
    void forgedFormPostsAreRefusedAndRequeueNothing() {
        Course c = course(true);
        String refused = "learner-" + UUID.randomUUID();
        services.refuseUser(refused, 400, "{\"error\":\"User is not gradable\"}");
        LtiBrowser learnerBrowser = new LtiBrowser();
        String learnerToken = token(launch(c, learnerBrowser, refused, null));
        String failed = score(c, learnerToken, 3);
        Eventually.await(WAIT, () -> "FAILED".equals(status(failed)), () -> "score is " + status(failed));
        services.clearFaults();
        LtiBrowser teacher = new LtiBrowser();
        String teacherToken = token(launch(c, teacher, "teacher-" + UUID.randomUUID(), INSTRUCTOR));
        long scores = DbCounts.scalar(db, "select count(*) from score");
        long schedules = DbCounts.scalar(db, "select count(*) from sync_schedule where resource_id = ? "
                + "and next_run_at <= now()", c.res().id());
        String retry = "/instructor/" + c.res().id() + "/retry-failed";

        // no CSRF token (and no cookie): another site's form
        Response noToken = given().contentType("application/x-www-form-urlencoded").formParam("launch_token", teacherToken)
                .post(retry);
        assertEquals(403, noToken.statusCode(), noToken.asString());
        assertTrue(noToken.asString().contains("csrf_token_invalid"), noToken.asString());
        // the browser's cookie but a wrong token in the form
        teacher.csrfToken();
        Response wrongToken = given().cookies(teacher.cookies()).contentType("application/x-www-form-urlencoded")
                .formParam("launch_token", teacherToken).formParam("csrf-token", "A".repeat(43)).post(retry);
        assertEquals(403, wrongToken.statusCode(), wrongToken.asString());
        assertTrue(wrongToken.asString().contains("csrf_token_invalid"), wrongToken.asString());
        // the right token, sent from another origin
        Response crossSite = teacher.formRequest().header("Origin", "https://evil.example")
                .formParam("launch_token", teacherToken).post(retry);
        assertEquals(403, crossSite.statusCode(), crossSite.asString());
        assertTrue(crossSite.asString().contains("cross_site_form"), crossSite.asString());
        // a learner's own launch, with a valid form of their own browser
        for (String action : List.of("retry-failed", "send-grades")) {
            Response learnerPost = postForm(learnerBrowser, c, action, learnerToken);
            assertEquals(403, learnerPost.statusCode(), learnerPost.asString());
            assertTrue(learnerPost.asString().contains("instructor_only"), learnerPost.asString());
        }
        // a valid form without a launch
        Response launchless = teacher.formRequest().post(retry);
        assertEquals(401, launchless.statusCode(), launchless.asString());

        assertEquals(scores, DbCounts.scalar(db, "select count(*) from score"));
        assertEquals("FAILED", status(failed));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from score where platform_subject = ? and origin = 'REPLAY'",
                refused));
        assertEquals(schedules, DbCounts.scalar(db, "select count(*) from sync_schedule where resource_id = ? "
                + "and next_run_at <= now()", c.res().id()));
    }

    @Test
    void sendGradesNowRunsAGradeSyncWithinSeconds() {
        Course c = course(true);
        score(c, token(launch(c, new LtiBrowser(), "learner-" + UUID.randomUUID(), null)), 8);
        LtiBrowser teacher = new LtiBrowser();
        String teacherToken = token(launch(c, teacher, "teacher-" + UUID.randomUUID(), INSTRUCTOR));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from sync_run where resource_id = ? and kind = 'GRADES'",
                c.res().id()));

        Response sent = postForm(teacher, c, "send-grades", teacherToken);

        assertEquals(200, sent.statusCode(), sent.asString());
        assertTrue(sent.asString().contains("A grade sync was started"), sent.asString());
        Eventually.await(WAIT, () -> DbCounts.scalar(db, "select count(*) from sync_run where resource_id = ? "
                + "and kind = 'GRADES' and finished_at is not null", c.res().id()) >= 1,
                () -> "no grade sync ran for the resource");
        String page = teacher.get(view(c, teacherToken)).asString();
        assertTrue(page.contains("class=\"sync-grades\">last "), page);

        // grade sync off: a clear 409, nothing scheduled
        Course off = course(false);
        LtiBrowser offTeacher = new LtiBrowser();
        String offToken = token(launch(off, offTeacher, "teacher-" + UUID.randomUUID(), INSTRUCTOR));
        Response refused = postForm(offTeacher, off, "send-grades", offToken);
        assertEquals(409, refused.statusCode(), refused.asString());
        assertTrue(refused.asString().contains("grade sync is off"), refused.asString());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from sync_run where resource_id = ?", off.res().id()));
    }
}
