package org.ltipublisher.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.admission.LaunchTally;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The dashboard over HTTP: each card shows what real launches, scores and syncs left behind (a launch and a
 * refused one, a score its platform keeps refusing with 503, a member sync whose roster read fails).
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class ConsoleDashboardTest extends WithPostgres {

    static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    static final Duration WAIT = Duration.ofSeconds(60);

    static PlatformSimulator platform;
    static PlatformServices services;

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    @Inject
    LaunchTally tally;

    String session;

    @BeforeEach
    void signIn() throws SQLException {
        if (platform == null) {
            platform = new PlatformSimulator();
            services = new PlatformServices(platform, "http://localhost:" + RestAssured.port + "/.well-known/jwks.json");
        }
        services.clearFaults();
        ConsoleFixture.emptyConsole(db);
        Response created = new LtiBrowser().formRequest().formParam("username", "operator")
                .formParam("password", "operator password").formParam("confirmation", "operator password")
                .post(ConsoleFixture.setupPathFromLog(setupLink));
        assertEquals(303, created.statusCode(), created.asString());
        session = created.getCookie(ConsoleSessions.COOKIE);
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            services.clearFaults();
            platform.close();
            platform = null;
        }
    }

    private String dashboard() {
        return given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).get("/console").then()
                .statusCode(200).extract().asString();
    }

    /** The HTML of one table of the page, by id. */
    private static String table(String page, String id) {
        int start = page.indexOf("id=\"" + id + "\"");
        assertTrue(start >= 0, "no table " + id + " in " + page);
        return page.substring(start, page.indexOf("</table>", start));
    }

    @Test
    void everyCardShowsWhatLaunchesScoresAndSyncsLeft() throws SQLException {
        // the launch counts of earlier tests are flushed and cleared: this test's counts are exact
        tally.flush();
        ConsoleFixture.sql(db, "delete from launch_count");

        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        String title = "Dashboard problem " + UUID.randomUUID().toString().substring(0, 8);
        Published res = AdminApi.publish(Map.of("title", title, "kind", "problem", "maxGrade", 10, "memberSync", true,
                "studentProvisioning", "auto", "teacherProvisioning", "auto"));
        String context = "ctx-" + UUID.randomUUID();
        String sub = "learner-" + UUID.randomUUID();
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(), sub)
                .lti("context", Map.of("id", context, "title", "Course"))
                .claim(NRPS, Map.of("context_memberships_url", platform.issuer() + "/nrps/" + context + "/memberships",
                        "service_versions", List.of("2.0")));
        Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec);
        assertEquals(303, launch.statusCode(), launch.asString());
        String location = launch.header("Location");
        String token = URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
        LaunchSpec foreign = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-x", res.launchUrl(), sub);
        assertEquals(400, new LtiBrowser().launch(platform, reg, res.launchUrl(), foreign).statusCode());

        // the platform's gradebook is down: the score stays in the outbox, retrying
        services.failScores(503, Integer.MAX_VALUE, null, "{\"error\":\"gradebook is down\"}");
        ContentApi.as(ContentApi.credential(res.id()), token).body(Map.of("scoreGiven", 7)).post("/api/v1/scores")
                .then().statusCode(202);
        Eventually.await(WAIT, () -> DbCounts.scalar(db, "select count(*) from score where platform_subject = ? "
                + "and status = 'PENDING' and last_error is not null", sub) == 1, () -> "the score was not tried");

        // the roster read fails: the member sync ends FAILED with its reason
        services.roster(context).failPage(1, Integer.MAX_VALUE);
        AdminApi.admin().post("/api/v1/resources/" + res.id() + "/sync/members").then().statusCode(202);
        Eventually.await(WAIT, () -> DbCounts.scalar(db, "select count(*) from sync_run where resource_id = ? "
                + "and result = 'FAILED'", res.id()) >= 1, () -> "the member sync did not fail");
        // due again a minute after that run: among the next runs whatever other resources the database holds
        AdminApi.admin().body(Map.of("intervalMinutes", 1)).put("/api/v1/resources/" + res.id() + "/sync/members")
                .then().statusCode(200);
        tally.flush();

        String page = dashboard();
        String launches = table(page, "launches");
        assertTrue(launches.contains("data-outcome=\"launched\"><td>LTI 1.3: Launched into the content</td>"
                + "<td class=\"num\">1</td>"), launches);
        assertTrue(launches.contains("data-outcome=\"refused\"><td>LTI 1.3: Refused</td><td class=\"num\">1</td>"),
                launches);
        String refusals = table(page, "refusals");
        assertTrue(refusals.contains("<code>unknown_deployment</code></td><td>LTI 1.3</td><td class=\"num\">1</td>"),
                refusals);

        String outbox = table(page, "outbox");
        assertFalse(outbox.contains("<td class=\"num\">0</td>"), outbox);
        assertFalse(page.contains("Nothing waiting"), outbox);
        assertTrue(outbox.contains("<time>"), "the oldest pending score's time: " + outbox);

        String failing = table(page, "failing-platforms");
        assertTrue(failing.contains("<a href=\"/console/registrations/" + reg.id() + "\">LTI 1.3 Test platform "
                + reg.clientId()), failing);
        assertTrue(failing.contains("503"), "the platform's answer is the reason: " + failing);

        String syncs = table(page, "failed-syncs");
        assertTrue(syncs.contains("<td>" + title + "</td><td>members</td><td class=\"bad\">failed</td>"), syncs);

        assertTrue(table(page, "next-syncs").contains("<td>" + title + "</td><td>members</td>"), table(page, "next-syncs"));
        assertTrue(table(page, "registrations-by-status").contains("<td>active</td>"), page);
        assertTrue(table(page, "dashboard-keys").contains("ACTIVE"), page);
        assertTrue(table(page, "readiness").contains("Ready"), page);

        // once the platform accepts again, the outbox drains and the score leaves the failing list
        services.clearFaults();
        Eventually.await(WAIT, () -> DbCounts.scalar(db, "select count(*) from score where platform_subject = ? "
                + "and status = 'SENT'", sub) == 1, () -> "the score was not sent after the platform recovered");
        assertFalse(table(dashboard(), "failing-platforms").contains(reg.id().toString()));
    }

    @Test
    void withoutLaunchesTheCardSaysWhatToDo() throws SQLException {
        tally.flush();
        ConsoleFixture.sql(db, "delete from launch_count");
        String page = dashboard();
        assertTrue(page.contains("id=\"no-launches\""), page);
        assertTrue(page.contains("Place a published resource in the LMS"), page);
    }

    @Test
    void withoutASessionTheDashboardSendsToSignIn() {
        Response anonymous = given().redirects().follow(false).get("/console");
        assertEquals(303, anonymous.statusCode());
        assertTrue(anonymous.header("Location").endsWith("/console/signin"), anonymous.header("Location"));
        Response forged = given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, "forged").get("/console");
        assertEquals(303, forged.statusCode());
    }
}
