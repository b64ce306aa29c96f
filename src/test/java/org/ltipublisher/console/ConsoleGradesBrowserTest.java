package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.console.ConsoleGradesFixture.Course;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.Select;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The Grades screen in a real browser ({@link ConsoleBrowser}): a simulated platform refuses a learner's score, the
 * administrator filters the page to that platform's failures, reads the platform's reason, and once the platform
 * is fixed replays the score from the page; the platform receives it exactly once.
 */
@QuarkusTest
class ConsoleGradesBrowserTest extends WithPostgres {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    @Test
    void anAdministratorFindsAFailedScoreReadsThePlatformsReasonAndReplaysItOnce() throws Exception {
        try (PlatformSimulator moodle = new PlatformSimulator();
                ConsoleBrowser console = ConsoleBrowser.start(base)) {
            PlatformServices services = new PlatformServices(moodle,
                    "http://localhost:" + RestAssured.port + "/.well-known/jwks.json");
            Course course = ConsoleGradesFixture.course(moodle, "Fractions quiz");
            String learner = "learner-" + UUID.randomUUID();
            // the platform cannot grade this learner (e.g. a role without a gradebook entry): refused for good
            services.refuseUser(learner, 400, "{\"error\":\"User is not gradable: role cannot be graded\"}");
            String refused = ConsoleGradesFixture.score(course, learner, 7);
            Eventually.await(WAIT, () -> "FAILED".equals(status(refused)), () -> "score is " + status(refused));

            console.setUpFirstAdmin(db, setupLink, "grades-admin");
            console.clickThrough("a[href='/console/grades']");
            assertEquals("Grades", console.text("h1"));
            new Select(console.driver.findElement(By.id("status"))).selectByValue("failed");
            new Select(console.driver.findElement(By.id("platform"))).selectByValue(course.registration().id().toString());
            console.clickThrough("#apply-filter");
            console.driver.manage().window().setSize(new Dimension(1400, 1000)); // the filter and the row in one shot
            String row = console.text("#score-" + refused);
            assertTrue(row.contains(learner) && row.contains("failed") && row.contains("not gradable"), row);
            assertTrue(row.contains("Fractions quiz"), row);
            console.screenshot("console-grades");

            // the platform is fixed; the administrator replays the score from its row
            services.clearFaults();
            console.clickThrough("#replay-" + refused);
            Eventually.await(WAIT, () -> console.driver.findElements(By.id("replay-notice")).size() == 1,
                    () -> "no replay notice on " + console.driver.getCurrentUrl());
            assertTrue(console.text("#replay-notice").contains("1 score queued again"), console.text("#replay-notice"));
            assertTrue(console.driver.getCurrentUrl().contains("status=failed"), console.driver.getCurrentUrl());
            assertTrue(console.text("#score-" + refused).contains("replayed as"), console.text("#score-" + refused));
            assertTrue(console.driver.findElements(By.id("replay-" + refused)).isEmpty(), "replayed: no button any more");

            Eventually.await(WAIT, () -> services.scoresFor(learner).size() == 1, () -> "the replay is not delivered");
            Eventually.await(WAIT, () -> DbCounts.scalar(db, "select count(*) from score where platform_subject = ? "
                    + "and origin = 'REPLAY' and status = 'SENT'", learner) == 1, () -> "the replay is not marked sent");
            assertEquals(7, services.scoresFor(learner).get(0).body().path("scoreGiven").asInt());

            new Select(console.driver.findElement(By.id("status"))).selectByValue("sent");
            console.clickThrough("#apply-filter");
            assertTrue(console.text("#scores tbody").contains(learner), console.text("#scores tbody"));
            console.screenshot("console-grades-replayed");
            assertEquals(1, services.scoresFor(learner).size(), "delivered exactly once");
        }
    }

    private String status(String scoreId) {
        return DbCounts.text(db, "select status from score where id = ?::uuid", scoreId);
    }
}
