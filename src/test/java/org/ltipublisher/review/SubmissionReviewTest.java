package org.ltipublisher.review;

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
import org.ltipublisher.registration.ClientRegistrationRequest;
import org.ltipublisher.registration.PlatformConfiguration;
import org.ltipublisher.registration.PlatformConfiguration.SupportedMessage;
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
 * LtiSubmissionReviewRequest (LTI AGS 2.0 §4.6) end to end over real HTTP: learners launch and score, the
 * scores go to the simulated gradebook (one delivered, one refused by the platform), then a teacher opens a
 * learner's submission from the gradebook through /lti/login and /lti/launch and sees that learner's score
 * and its delivery status. A learner is refused; an unknown learner gets a page saying so.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class SubmissionReviewTest extends WithPlatformServices {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

    @Inject
    DataSource db;

    @Inject
    ClientRegistrationRequest registrationRequest;

    private record Course(Registered reg, Published res) {
    }

    private static Course course() {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish(Map.of("title", "Problem 1", "kind", "problem", "maxGrade", 10,
                "studentProvisioning", "auto", "teacherProvisioning", "auto"));
        return new Course(reg, res);
    }

    /** The learner launches the link and the content reports a score; returns the score's id. */
    private static String learnerScores(Course c, String sub, double given) {
        Response launch = new LtiBrowser().launch(platform, c.reg(), c.res().launchUrl(),
                LaunchSpec.resourceLink(c.reg().issuer(), c.reg().clientId(), c.reg().deploymentId(),
                        c.res().launchUrl(), sub));
        assertEquals(303, launch.statusCode(), launch.asString());
        String location = launch.header("Location");
        String token = URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13),
                StandardCharsets.UTF_8);
        return ContentApi.as(ContentApi.credential(c.res().id()), token)
                .body(Map.of("scoreGiven", given, "comment", "attempt of " + sub)).post("/api/v1/scores")
                .then().statusCode(202).extract().path("id");
    }

    /** What the platform's gradebook sends when a teacher opens a learner's submission. */
    private static LaunchSpec review(Course c, String reviewer, String forUser, String role) {
        return LaunchSpec.resourceLink(c.reg().issuer(), c.reg().clientId(), c.reg().deploymentId(),
                c.res().launchUrl(), reviewer)
                .lti("message_type", "LtiSubmissionReviewRequest")
                .roles(role)
                .lti("for_user", Map.of("user_id", forUser, "name", "Grace Hopper", "email", forUser + "@example.edu"));
    }

    private String status(String scoreId) {
        return DbCounts.text(db, "select status from score where id = ?::uuid", scoreId);
    }

    @Test
    void teacherSeesTheLearnersScoreAndItsDeliveryStatus() {
        Course c = course();
        String delivered = "learner-" + UUID.randomUUID();
        String refused = "learner-" + UUID.randomUUID();
        services.refuseUser(refused, 400, "{\"error\":\"User is not gradable: role cannot be graded\"}");
        String sent = learnerScores(c, delivered, 7.5);
        String failed = learnerScores(c, refused, 4);
        Eventually.await(WAIT, () -> "SENT".equals(status(sent)), () -> "score is " + status(sent));
        Eventually.await(WAIT, () -> "FAILED".equals(status(failed)), () -> "score is " + status(failed));

        Response page = new LtiBrowser().launch(platform, c.reg(), c.res().launchUrl(),
                review(c, "teacher-" + UUID.randomUUID(), delivered, INSTRUCTOR));

        assertEquals(200, page.statusCode(), page.asString());
        String html = page.asString();
        assertTrue(html.contains("Submission of Grace Hopper"), html);
        assertTrue(html.contains("7.5 / 10"), html);
        assertTrue(html.contains("SENT"), html);
        assertTrue(html.contains("attempt of " + delivered), html);
        // only this learner's work
        assertFalse(html.contains("attempt of " + refused), html);

        Response other = new LtiBrowser().launch(platform, c.reg(), c.res().launchUrl(),
                review(c, "teacher-" + UUID.randomUUID(), refused, INSTRUCTOR));
        assertEquals(200, other.statusCode(), other.asString());
        assertTrue(other.asString().contains("4 / 10"), other.asString());
        assertTrue(other.asString().contains("FAILED"), other.asString());
        assertTrue(other.asString().contains("not gradable"), other.asString());
        assertFalse(other.asString().contains("attempt of " + delivered), other.asString());
    }

    @Test
    void learnerMayNotReviewAnotherLearnersSubmission() {
        Course c = course();
        String learner = "learner-" + UUID.randomUUID();
        learnerScores(c, learner, 9);
        String peer = "peer-" + UUID.randomUUID();

        Response refused = new LtiBrowser().launch(platform, c.reg(), c.res().launchUrl(),
                review(c, peer, learner, LEARNER));

        assertEquals(403, refused.statusCode(), refused.asString());
        assertTrue(refused.asString().contains("only teachers and administrators can review"), refused.asString());
        assertFalse(refused.asString().contains("attempt of " + learner), refused.asString());
        // refused before anything was written
        assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", peer));
    }

    @Test
    void unknownLearnerGetsAClearPage() {
        Course c = course();
        learnerScores(c, "learner-" + UUID.randomUUID(), 5);
        String stranger = "never-launched-" + UUID.randomUUID();

        Response page = new LtiBrowser().launch(platform, c.reg(), c.res().launchUrl(),
                review(c, "teacher-" + UUID.randomUUID(), stranger, INSTRUCTOR));

        assertEquals(404, page.statusCode(), page.asString());
        assertTrue(page.asString().contains(stranger + "&#39; has never opened this tool"), page.asString());
        assertTrue(page.asString().contains("unknown_learner"), page.asString());
    }

    /** Dynamic registration offers the message to a platform that lists it (LTI DR 1.0 §3.5), and only then. */
    @Test
    @SuppressWarnings("unchecked")
    void dynamicRegistrationAdvertisesSubmissionReviewWhereThePlatformSupportsIt() {
        PlatformConfiguration supporting = platform("https://lms.example", List.of(
                new SupportedMessage("LtiResourceLinkRequest", List.of()),
                new SupportedMessage("LtiSubmissionReviewRequest", List.of())));
        List<Map<String, Object>> messages = (List<Map<String, Object>>) ((Map<String, Object>) registrationRequest
                .build(supporting, "https://tool.example").get(ClientRegistrationRequest.TOOL_CONFIGURATION))
                .get("messages");
        assertEquals(List.of("LtiResourceLinkRequest", "LtiSubmissionReviewRequest"),
                messages.stream().map(m -> m.get("type")).toList());
        assertEquals("https://tool.example/lti/launch", messages.get(1).get("target_link_uri"));

        PlatformConfiguration silent = platform("https://old-lms.example", List.of());
        List<Map<String, Object>> offered = (List<Map<String, Object>>) ((Map<String, Object>) registrationRequest
                .build(silent, "https://tool.example").get(ClientRegistrationRequest.TOOL_CONFIGURATION))
                .get("messages");
        assertFalse(offered.stream().anyMatch(m -> "LtiSubmissionReviewRequest".equals(m.get("type"))),
                offered.toString());
    }

    private static PlatformConfiguration platform(String issuer, List<SupportedMessage> messages) {
        return new PlatformConfiguration(issuer, issuer + "/auth", issuer + "/token", issuer + "/jwks",
                issuer + "/register", null, List.of(), "moodle", "4.3", messages);
    }
}
