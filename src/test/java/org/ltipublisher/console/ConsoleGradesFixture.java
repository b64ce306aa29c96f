package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;

import io.restassured.response.Response;

/**
 * Scores for the Grades screen as they really arise: a platform registered and a problem published through the
 * admin API, a learner's launch from the simulated platform, and the content reporting a score with its
 * credential and the learner's launch token (as ScoreDeliveryTest does).
 */
final class ConsoleGradesFixture {

    /** A platform with its registration and one published problem. */
    record Course(PlatformSimulator platform, Registered registration, Published problem, ContentApi.Credential credential) {
    }

    private ConsoleGradesFixture() {
    }

    static Course course(PlatformSimulator platform, String title) {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published problem = AdminApi.publish(Map.of("title", title, "kind", "problem", "maxGrade", 10,
                "studentProvisioning", "auto", "teacherProvisioning", "auto"));
        return new Course(platform, reg, problem, ContentApi.credential(problem.id()));
    }

    /** A learner ({@code sub}) launches the course's problem and the content reports {@code scoreGiven}; the score id. */
    static String score(Course course, String sub, int scoreGiven) {
        LaunchSpec spec = LaunchSpec.resourceLink(course.registration().issuer(), course.registration().clientId(),
                course.registration().deploymentId(), course.problem().launchUrl(), sub);
        Response launch = new LtiBrowser().launch(course.platform(), course.registration(), course.problem().launchUrl(),
                spec);
        assertEquals(303, launch.statusCode(), launch.asString());
        String location = launch.header("Location");
        String token = URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13),
                StandardCharsets.UTF_8);
        return ContentApi.as(course.credential(), token).body(Map.of("scoreGiven", scoreGiven)).post("/api/v1/scores")
                .then().statusCode(202).extract().path("id");
    }
}
