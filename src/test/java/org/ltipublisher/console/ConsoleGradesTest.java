package org.ltipublisher.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.console.ConsoleGradesFixture.Course;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The console's Grades screen over real HTTP: scores a simulated platform accepted, refused for now or refused for
 * good, found by status, platform, resource and learner with the platform's reason; replays of one, the selected
 * and every failed score of a filter, once each; foreign or token-less forms and bad ids change nothing.
 */
@QuarkusTest
class ConsoleGradesTest extends WithPostgres {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String NOT_GRADABLE = "{\"error\":\"User is not gradable: role cannot be graded\"}";

    static PlatformSimulator moodle;
    static PlatformServices moodleServices;
    static PlatformSimulator canvas;
    static PlatformServices canvasServices;

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    ConsoleFixture.SignedIn console;
    String session;
    LtiBrowser browser;

    @BeforeEach
    void signIn() throws SQLException {
        if (moodle == null) {
            String jwks = "http://localhost:" + RestAssured.port + "/.well-known/jwks.json";
            moodle = new PlatformSimulator();
            moodleServices = new PlatformServices(moodle, jwks);
            canvas = new PlatformSimulator();
            canvasServices = new PlatformServices(canvas, jwks);
        }
        moodleServices.clearFaults();
        canvasServices.clearFaults();
        console = ConsoleFixture.firstAdmin(db, setupLink, "grader", "grader password");
        browser = console.browser();
        session = console.session();
    }

    @AfterAll
    static void stopPlatforms() {
        if (moodle != null) {
            moodle.close();
            canvas.close();
            moodle = null;
            canvas = null;
        }
    }

    private RequestSpecification form() {
        return console.form();
    }

    private Response page(String query) {
        return console.page("/console/grades" + query);
    }

    private String status(String scoreId) {
        return DbCounts.text(db, "select status from score where id = ?::uuid", scoreId);
    }

    private long replays(String sub) {
        return DbCounts.scalar(db, "select count(*) from score where platform_subject = ? and origin = 'REPLAY'", sub);
    }

    private String failedScore(Course course, PlatformServices services, String sub, int given) {
        services.refuseUser(sub, 400, NOT_GRADABLE);
        String id = ConsoleGradesFixture.score(course, sub, given);
        Eventually.await(WAIT, () -> "FAILED".equals(status(id)), () -> "score " + id + " is " + status(id));
        return id;
    }

    @Test
    void filtersShowEachFailureAndRetryWithThePlatformsReason() {
        Course onMoodle = ConsoleGradesFixture.course(moodle, "Fractions quiz");
        Course onCanvas = ConsoleGradesFixture.course(canvas, "Decimals quiz");
        String refusedSub = "refused-" + UUID.randomUUID();
        String fineSub = "fine-" + UUID.randomUUID();
        String laterSub = "later-" + UUID.randomUUID();

        String refused = failedScore(onMoodle, moodleServices, refusedSub, 4);
        String fine = ConsoleGradesFixture.score(onCanvas, fineSub, 9);
        Eventually.await(WAIT, () -> "SENT".equals(status(fine)), () -> "score is " + status(fine));
        // the platform is down for maintenance and says when to come back: retried in an hour, reason kept
        canvasServices.failScores(503, 1, "3600", "{\"error\":\"gradebook in maintenance\"}");
        String later = ConsoleGradesFixture.score(onCanvas, laterSub, 6);
        Eventually.await(WAIT, () -> DbCounts.scalar(db, "select count(*) from score where id = ?::uuid "
                + "and status = 'PENDING' and last_error is not null", later) == 1, () -> "not retrying: " + status(later));

        page("?status=failed&platform=" + onMoodle.registration().id()).then().statusCode(200)
                .body(containsString(refusedSub)).body(containsString("not gradable"))
                .body(containsString("Fractions quiz")).body(containsString("id=\"replay-" + refused + "\""))
                .body(not(containsString(fineSub))).body(not(containsString(laterSub)));
        page("?status=retrying").then().statusCode(200).body(containsString(laterSub))
                .body(containsString("gradebook in maintenance")).body(containsString("503"))
                .body(not(containsString(refusedSub))).body(not(containsString(fineSub)));
        page("?status=sent&user=" + fineSub).then().statusCode(200).body(containsString(fineSub))
                .body(not(containsString(laterSub))).body(not(containsString("formaction=")));
        page("?resource=" + onCanvas.problem().id()).then().statusCode(200).body(containsString(fineSub))
                .body(containsString(laterSub)).body(not(containsString(refusedSub)));
        String account = DbCounts.text(db, "select account_id::text from score where id = ?::uuid", refused);
        page("?user=" + account).then().statusCode(200).body(containsString(refusedSub))
                .body(not(containsString(fineSub)));
        // a filter value that looks like SQL is a value, bound as a parameter
        page("?user=x' or '1'='1").then().statusCode(200).body(containsString("No score matches this filter"));
        // the admin API reads through the same filters
        AdminApi.admin().queryParam("status", "failed").queryParam("platform", onMoodle.registration().id().toString())
                .get("/api/v1/scores").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].id", equalTo(refused)).body("[0].lastError", containsString("not gradable"));

        // bad filters: a reason to act on, no 500
        page("?status=lost").then().statusCode(400).body(containsString("pending, retrying, sent, failed"));
        page("?platform=moodle").then().statusCode(400).body(containsString("registration id"));
        page("?resource=42").then().statusCode(400).body(containsString("published resource id"));
        page("?page=0").then().statusCode(400).body(containsString("page must be"));
        page("?page=x").then().statusCode(400);

        // without a session: to the sign-in page
        Response anonymous = given().redirects().follow(false).get("/console/grades?status=failed");
        assertEquals(303, anonymous.statusCode());
        assertTrue(anonymous.header("Location").endsWith("/console/signin"), anonymous.header("Location"));
    }

    @Test
    void replayOneAndSelectedOnceEachAndADoubleClickDeliversOnce() throws Exception {
        Course course = ConsoleGradesFixture.course(moodle, "Replay quiz");
        String first = "first-" + UUID.randomUUID();
        String second = "second-" + UUID.randomUUID();
        String sentSub = "sent-" + UUID.randomUUID();
        String firstScore = failedScore(course, moodleServices, first, 3);
        String secondScore = failedScore(course, moodleServices, second, 5);
        String sentScore = ConsoleGradesFixture.score(course, sentSub, 8);
        Eventually.await(WAIT, () -> "SENT".equals(status(sentScore)), () -> "score is " + status(sentScore));

        // the platform can grade them now; the admin double-clicks "Replay" on the first row
        moodleServices.clearFaults();
        ExecutorService clicks = Executors.newFixedThreadPool(2);
        CountDownLatch together = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Callable<Response> click = () -> {
                    together.await();
                    return form().formParam("status", "failed").post("/console/grades/" + firstScore + "/replay");
                };
                answers.add(clicks.submit(click));
            }
            together.countDown();
            List<String> locations = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response r = answer.get();
                assertEquals(303, r.statusCode(), r.asString());
                locations.add(r.header("Location"));
            }
            assertEquals(1, locations.stream().filter(l -> l.contains("replayed=1&")).count(), locations.toString());
            assertEquals(1, locations.stream().filter(l -> l.contains("already-replayed=1")).count(), locations.toString());
            assertTrue(locations.get(0).contains("status=failed"), locations.get(0));
        } finally {
            clicks.shutdownNow();
        }
        assertEquals(1, replays(first));
        Eventually.await(WAIT, () -> DbCounts.scalar(db, "select count(*) from score where platform_subject = ? "
                + "and origin = 'REPLAY' and status = 'SENT'", first) == 1, () -> "the replay is not sent");
        assertEquals(1, moodleServices.scoresFor(first).size(), "delivered exactly once");
        assertEquals(3, moodleServices.scoresFor(first).get(0).body().path("scoreGiven").asInt());
        // the page says so: the failed row is marked replayed and has no button any more
        page("?status=failed&user=" + first).then().statusCode(200).body(containsString("replayed as"))
                .body(not(containsString("id=\"replay-" + firstScore + "\"")));
        page("?replayed=0&already-sent=1").then().statusCode(200).body(containsString("1 already sent"));
        // the API refuses a second replay of it
        AdminApi.admin().post("/api/v1/scores/" + firstScore + "/replay").then().statusCode(409)
                .body("error", equalTo("already_replayed"));

        // "Replay selected": the second failed score and a sent one; the sent one is left as it was and said so
        Response selected = form().formParam("id", secondScore).formParam("id", sentScore).post("/console/grades/replay");
        assertEquals(303, selected.statusCode(), selected.asString());
        assertTrue(selected.header("Location").contains("replayed=1&already-pending=0&already-sent=1"),
                selected.header("Location"));
        page(selected.header("Location").substring(selected.header("Location").indexOf('?'))).then().statusCode(200)
                .body(containsString("1 score queued again")).body(containsString("1 already sent"));
        Eventually.await(WAIT, () -> moodleServices.scoresFor(second).size() == 1, () -> "second not delivered");
        assertEquals(1, moodleServices.scoresFor(sentSub).size(), "the sent score was not sent again");

        // "Replay all failed" finds nothing left to replay for this resource
        long scores = DbCounts.scalar(db, "select count(*) from score");
        Response all = form().formParam("resource", course.problem().id().toString())
                .post("/console/grades/replay-failed");
        assertEquals(303, all.statusCode(), all.asString());
        assertTrue(all.header("Location").contains("replayed=0&"), all.header("Location"));
        assertEquals(scores, DbCounts.scalar(db, "select count(*) from score"));
    }

    @Test
    void replayAllFailedTakesOnlyWhatTheFilterMatches() {
        Course onMoodle = ConsoleGradesFixture.course(moodle, "Moodle quiz");
        Course onCanvas = ConsoleGradesFixture.course(canvas, "Canvas quiz");
        String a = "a-" + UUID.randomUUID();
        String b = "b-" + UUID.randomUUID();
        String c = "c-" + UUID.randomUUID();
        failedScore(onMoodle, moodleServices, a, 1);
        failedScore(onMoodle, moodleServices, b, 2);
        String onOtherPlatform = failedScore(onCanvas, canvasServices, c, 3);
        moodleServices.clearFaults();
        canvasServices.clearFaults();

        Response all = form().formParam("status", "failed")
                .formParam("platform", onMoodle.registration().id().toString()).post("/console/grades/replay-failed");
        assertEquals(303, all.statusCode(), all.asString());
        assertTrue(all.header("Location").contains("replayed=2&"), all.header("Location"));
        assertTrue(all.header("Location").contains("platform=" + onMoodle.registration().id()), all.header("Location"));
        Eventually.await(WAIT, () -> moodleServices.scoresFor(a).size() == 1 && moodleServices.scoresFor(b).size() == 1,
                () -> "replays not delivered");
        assertEquals("FAILED", status(onOtherPlatform));
        assertEquals(0, replays(c));

        Response again = form().formParam("platform", onMoodle.registration().id().toString())
                .post("/console/grades/replay-failed");
        assertTrue(again.header("Location").contains("replayed=0&"), again.header("Location"));
        assertEquals(1, replays(a));
        assertEquals(1, replays(b));
    }

    @Test
    void foreignFormsAndBadIdsAreRefusedAndChangeNothing() {
        Course course = ConsoleGradesFixture.course(moodle, "Guarded quiz");
        String sub = "guarded-" + UUID.randomUUID();
        String failed = failedScore(course, moodleServices, sub, 4);
        moodleServices.clearFaults();
        long scores = DbCounts.scalar(db, "select count(*) from score");

        // no CSRF token
        Response noToken = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", browser.toolOrigin()).header("Cookie", LtiBrowser.CSRF_COOKIE + "="
                        + browser.csrfToken() + "; " + ConsoleSessions.COOKIE + "=" + session)
                .formParam("id", failed).post("/console/grades/replay");
        assertEquals(403, noToken.statusCode(), noToken.asString());
        // a page of another origin, token and all
        Response foreign = form().header("Origin", "https://evil.example").post("/console/grades/" + failed + "/replay");
        assertEquals(403, foreign.statusCode(), foreign.asString());
        assertTrue(foreign.asString().contains("nothing changed"), foreign.asString());
        Response foreignAll = form().header("Origin", "https://evil.example").post("/console/grades/replay-failed");
        assertEquals(403, foreignAll.statusCode(), foreignAll.asString());
        // no session
        Response signedOut = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("id", failed).post("/console/grades/replay");
        assertEquals(303, signedOut.statusCode());

        // a malformed id among good ones: the lot is refused
        Response malformed = form().formParam("id", failed).formParam("id", "1 or 1=1").post("/console/grades/replay");
        assertEquals(400, malformed.statusCode(), malformed.asString());
        assertTrue(malformed.asString().contains("nothing was replayed"), malformed.asString());
        // an unknown id among good ones: the lot is refused
        Response unknown = form().formParam("id", failed).formParam("id", UUID.randomUUID().toString())
                .post("/console/grades/replay");
        assertEquals(404, unknown.statusCode(), unknown.asString());
        Response badPath = form().post("/console/grades/not-a-score/replay");
        assertEquals(400, badPath.statusCode(), badPath.asString());
        Response none = form().post("/console/grades/replay");
        assertEquals(400, none.statusCode(), none.asString());
        assertTrue(none.asString().contains("select at least one"), none.asString());
        Response badFilter = form().formParam("platform", "moodle").post("/console/grades/replay-failed");
        assertEquals(400, badFilter.statusCode(), badFilter.asString());

        assertEquals(scores, DbCounts.scalar(db, "select count(*) from score"));
        assertEquals(0, replays(sub));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from score where id = ?::uuid and status = 'FAILED' "
                + "and replayed_as is null", failed));
        assertEquals(0, moodleServices.scoresFor(sub).size());
    }
}
