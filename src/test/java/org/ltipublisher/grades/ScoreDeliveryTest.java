package org.ltipublisher.grades;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

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
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformServices.ReceivedScore;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPlatformServices;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Scores from the content to a simulated platform over real HTTP: intake, outbox, access tokens with a
 * verified client assertion, line items, AGS score posts, platform faults, scale-out and lease expiry.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class ScoreDeliveryTest extends WithPlatformServices {

    static final String AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    DataSource db;

    @Inject
    OutboxWorker worker;

    @Inject
    ScoreOutbox outbox;

    @Inject
    io.quarkus.scheduler.Scheduler scheduler;

    /** A learner's launch: the registration, resource, sub and the launch token the content received. */
    record Launched(Registered reg, Published res, String sub, String token, ContentApi.Credential credential) {
    }

    private Launched launch(Map<String, Object> resource, Consumer<LaunchSpec> change) {
        return launch(platform, resource, change);
    }

    private static Launched launch(PlatformSimulator platform, Map<String, Object> resource,
            Consumer<LaunchSpec> change) {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish(resource);
        String sub = "learner-" + UUID.randomUUID();
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(), sub)
                .with(change);
        Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec);
        assertEquals(303, launch.statusCode(), launch.asString());
        String location = launch.header("Location");
        String token = URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
        return new Launched(reg, res, sub, token, ContentApi.credential(res.id()));
    }

    private static Map<String, Object> resource(String title, String kind) {
        return Map.of("title", title, "kind", kind, "maxGrade", 10, "studentProvisioning", "auto",
                "teacherProvisioning", "auto");
    }

    /** The content reports a score: its credential and the learner's launch token. */
    private static Response postScore(Launched l, Map<String, Object> score) {
        return postScore(l.credential(), l.token(), score);
    }

    private static Response postScore(ContentApi.Credential credential, String token, Map<String, Object> score) {
        return ContentApi.as(credential, token).body(score).post("/api/v1/scores");
    }

    private String status(String scoreId) {
        return DbCounts.text(db, "select status from score where id = ?::uuid", scoreId);
    }

    @Test
    void problemScoreIsSentAtOnceWithAVerifiedClientAssertion() {
        Launched l = launch(resource("Problem 1", "problem"), s -> { });
        int tokensBefore = services.tokenRequests();

        Response accepted = postScore(l, Map.of("scoreGiven", 7.5, "comment", "well done"));

        accepted.then().statusCode(202).body("status", equalTo("pending"));
        String id = accepted.path("id");
        Eventually.await(WAIT, () -> "SENT".equals(status(id)), () -> "score " + id + " is " + status(id));
        List<ReceivedScore> received = services.scoresFor(l.sub());
        assertEquals(1, received.size());
        ReceivedScore score = received.get(0);
        // the launch's lineitem claim is the column (declarative model); /scores appended to its path
        assertEquals("/ags/course-1/lineitems/1/scores", score.path());
        assertEquals("application/vnd.ims.lis.v1.score+json", score.contentType());
        assertNotNull(score.userAgent());
        assertEquals(7.5, score.body().path("scoreGiven").asDouble());
        assertEquals(10, score.body().path("scoreMaximum").asInt());
        assertEquals("well done", score.body().path("comment").asText());
        assertEquals("Completed", score.body().path("activityProgress").asText());
        assertEquals("FullyGraded", score.body().path("gradingProgress").asText());
        assertTrue(score.body().path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                score.body().path("timestamp").asText());
        assertTrue(services.assertionFailures().isEmpty(), services.assertionFailures().toString());
        assertTrue(services.serviceAuthFailures().isEmpty(), services.serviceAuthFailures().toString());
        assertEquals(tokensBefore + 1, services.tokenRequests());

        // a second score reuses the cached token and gets a later timestamp
        String second = postScore(l, Map.of("scoreGiven", 9)).then().statusCode(202).extract().path("id");
        Eventually.await(WAIT, () -> "SENT".equals(status(second)), () -> "second score is " + status(second));
        assertEquals(tokensBefore + 1, services.tokenRequests());
        assertEquals(2, services.scoresFor(l.sub()).size());
        assertEquals(0, services.staleScores());

        AdminApi.admin().queryParam("status", "sent").get("/api/v1/scores").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItems(id, second));
    }

    @Test
    void badScoresAreRefusedAndStoreNothing() {
        Launched l = launch(resource("Problem 2", "problem"), s -> { });
        long before = DbCounts.scalar(db, "select count(*) from score");

        postScore(l, Map.of("scoreGiven", 11)).then().statusCode(422).body("error", equalTo("score_above_maximum"));
        postScore(l, Map.of("scoreGiven", -1)).then().statusCode(422).body("error", equalTo("negative_score"));
        postScore(l, Map.of("scoreGiven", 1, "gradingProgress", "Done")).then().statusCode(422)
                .body("error", equalTo("invalid_gradingProgress"));
        postScore(l, Map.of("scoreGiven", 1, "timestamp", "yesterday")).then().statusCode(422)
                .body("error", equalTo("invalid_timestamp"));
        postScore(l.credential(), "not-a-launch-token", Map.of("scoreGiven", 1)).then().statusCode(401)
                .body("error", equalTo("invalid_launch_token"));
        AdminApi.admin().body(Map.of("scoreGiven", 1, "issuer", l.reg().issuer(), "userId", "nobody",
                "resourceLinkId", "rl-1")).post("/api/v1/scores").then().statusCode(404).body("error", equalTo("unknown_user"));
        AdminApi.admin().body(Map.of("scoreGiven", 1, "issuer", l.reg().issuer(), "userId", l.sub(),
                "resourceLinkId", "no-such-link")).post("/api/v1/scores").then().statusCode(404)
                .body("error", equalTo("unknown_resource_link"));

        assertEquals(before, DbCounts.scalar(db, "select count(*) from score"));

        // an admin/service token names the platform user and link
        String id = AdminApi.admin().body(Map.of("scoreGiven", 4, "issuer", l.reg().issuer(), "userId", l.sub(),
                "resourceLinkId", "rl-1", "clientId", l.reg().clientId())).post("/api/v1/scores").then().statusCode(202)
                .extract().path("id");
        Eventually.await(WAIT, () -> "SENT".equals(status(id)), () -> "admin score is " + status(id));
        assertEquals(4, services.scoresFor(l.sub()).get(0).body().path("scoreGiven").asInt());
    }

    @Test
    void lineItemIsCreatedOnceWhenTheLaunchNamesNone() {
        Launched l = launch(resource("Created column", "problem"), s -> s.claim(AGS, Map.of(
                "scope", List.of(PlatformServices.AGS_SCOPE_PREFIX + "lineitem", PlatformServices.AGS_SCOPE_PREFIX + "score"),
                "lineitems", platform.issuer() + "/ags/course-created/lineitems")));
        int posts = services.lineItemPosts();

        String first = postScore(l, Map.of("scoreGiven", 3)).then().statusCode(202).extract().path("id");
        Eventually.await(WAIT, () -> "SENT".equals(status(first)), () -> "score is " + status(first));
        String second = postScore(l, Map.of("scoreGiven", 5)).then().statusCode(202).extract().path("id");
        Eventually.await(WAIT, () -> "SENT".equals(status(second)), () -> "score is " + status(second));

        assertEquals(posts + 1, services.lineItemPosts(), "one column created, then reused");
        var item = services.lineItems().stream()
                .filter(i -> l.res().id().toString().equals(i.path("resourceId").asText())).findFirst().orElseThrow();
        assertEquals("Created column", item.path("label").asText());
        assertEquals(10, item.path("scoreMaximum").asInt());
        assertEquals("grade", item.path("tag").asText());
        assertEquals("rl-1", item.path("resourceLinkId").asText());
        String itemPath = java.net.URI.create(item.path("id").asText()).getPath();
        assertTrue(services.scoresFor(l.sub()).stream().allMatch(s -> s.path().equals(itemPath + "/scores")));
    }

    @Test
    void existingLineItemIsFoundByResourceIdAndTag() {
        Published res = AdminApi.publish(resource("Found column", "problem"));
        String existing = services.addLineItem("course-found", Map.of("label", "Made by hand", "scoreMaximum", 10,
                "resourceId", res.id().toString(), "tag", "grade"));
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        String sub = "learner-" + UUID.randomUUID();
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(), sub)
                .claim(AGS, Map.of("scope", List.of(PlatformServices.AGS_SCOPE_PREFIX + "lineitem",
                        PlatformServices.AGS_SCOPE_PREFIX + "score"),
                        "lineitems", platform.issuer() + "/ags/course-found/lineitems"));
        Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec);
        String location = launch.header("Location");
        String token = URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
        int posts = services.lineItemPosts();

        String id = postScore(ContentApi.credential(res.id()), token, Map.of("scoreGiven", 6)).then().statusCode(202).extract().path("id");

        Eventually.await(WAIT, () -> "SENT".equals(status(id)), () -> "score is " + status(id));
        assertEquals(posts, services.lineItemPosts(), "no column created");
        assertEquals(java.net.URI.create(existing).getPath() + "/scores", services.scoresFor(sub).get(0).path());
    }

    @Test
    void canvasLineItemUrlKeepsItsQueryAfterScores() {
        Launched l = launch(resource("Canvas", "problem"), s -> s.claim(AGS, Map.of(
                "scope", List.of(PlatformServices.AGS_SCOPE_PREFIX + "score"),
                "lineitem", platform.issuer() + "/ags/course-canvas/lineitems/77?type=external_tool")));

        String id = postScore(l, Map.of("scoreGiven", 2)).then().statusCode(202).extract().path("id");

        Eventually.await(WAIT, () -> "SENT".equals(status(id)), () -> "score is " + status(id));
        ReceivedScore score = services.scoresFor(l.sub()).get(0);
        assertEquals("/ags/course-canvas/lineitems/77/scores", score.path());
        assertEquals("type=external_tool", score.query());
    }

    @Test
    void unitGradeIsAggregatedAndSentAfterTheQuietDelay() throws Exception {
        Launched l = launch(resource("Unit 3", "unit"), s -> { });

        Instant start = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int given : new int[] { 2, 5, 8 }) {
            ids.add(postScore(l, Map.of("scoreGiven", given)).then().statusCode(202).extract().path("id"));
            Thread.sleep(300);
        }

        Thread.sleep(1000);
        assertTrue(services.scoresFor(l.sub()).isEmpty(), "nothing sent during the quiet delay");
        Eventually.await(WAIT, () -> "SENT".equals(status(ids.get(2))), () -> "last unit grade is " + status(ids.get(2)));
        assertTrue(Duration.between(start, Instant.now()).compareTo(Duration.ofMillis(2500)) >= 0);
        assertEquals(1, services.scoresFor(l.sub()).size(), "only the aggregate is sent");
        assertEquals(8, services.scoresFor(l.sub()).get(0).body().path("scoreGiven").asInt());
        assertEquals("SUPERSEDED", status(ids.get(0)));
        assertEquals("SUPERSEDED", status(ids.get(1)));
    }

    @Test
    void platformFaultsCostRetriesNeverScores() {
        Launched l = launch(resource("Flaky", "problem"), s -> { });
        List<String> ids = new ArrayList<>();
        ids.add(postScore(l, Map.of("scoreGiven", 0)).then().statusCode(202).extract().path("id"));
        Eventually.await(WAIT, () -> "SENT".equals(status(ids.get(0))), () -> "first score is " + status(ids.get(0)));
        int tokens = services.tokenRequests();
        services.failScores(500, 2, null, "{\"error\":\"database is down\"}");
        services.failScores(429, 1, "1", "{\"error\":\"slow down\"}");
        services.failScores(503, 1, null, "");
        services.revokeTokens(); // the cached token is refused once: a new one is fetched

        for (int i = 1; i < 6; i++) {
            ids.add(postScore(l, Map.of("scoreGiven", i)).then().statusCode(202).extract().path("id"));
        }

        Eventually.await(WAIT, () -> ids.stream().allMatch(id -> "SENT".equals(status(id))),
                () -> "statuses " + ids.stream().map(this::status).toList());
        List<ReceivedScore> received = services.scoresFor(l.sub());
        assertEquals(6, received.size(), "each score exactly once");
        // sent in the order given, so the platform kept each as the newest
        assertEquals(List.of(0, 1, 2, 3, 4, 5), received.stream().map(s -> s.body().path("scoreGiven").asInt()).toList());
        assertEquals(0, services.staleScores());
        assertTrue(DbCounts.scalar(db, "select max(attempts) from score where platform_subject = ?", l.sub()) > 1);
        assertEquals(tokens + 1, services.tokenRequests(), "one new token after the 401");
    }

    @Test
    void userWhoCannotBeGradedFailsWithThePlatformsReasonAndCanBeReplayed() {
        Launched l = launch(resource("Ungradable", "problem"), s -> { });
        services.refuseUser(l.sub(), 400, "{\"error\":\"User is not gradable: role cannot be graded\"}");

        String id = postScore(l, Map.of("scoreGiven", 4)).then().statusCode(202).extract().path("id");

        Eventually.await(WAIT, () -> "FAILED".equals(status(id)), () -> "score is " + status(id));
        AdminApi.admin().queryParam("status", "failed").get("/api/v1/scores").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.lastError", containsString("not gradable"))
                .body("find { it.id == '" + id + "' }.attempts", equalTo(1));
        AdminApi.admin().queryParam("status", "lost").get("/api/v1/scores").then().statusCode(400)
                .body("error", equalTo("invalid_status"));
        AdminApi.admin().post("/api/v1/scores/" + UUID.randomUUID() + "/replay").then().statusCode(404);

        services.clearFaults();
        String replay = AdminApi.admin().post("/api/v1/scores/" + id + "/replay").then().statusCode(202).extract().path("id");

        Eventually.await(WAIT, () -> "SENT".equals(status(replay)), () -> "replay is " + status(replay));
        assertEquals(1, services.scoresFor(l.sub()).size());
        AdminApi.admin().post("/api/v1/scores/" + replay + "/replay").then().statusCode(409);
    }

    @Test
    void sampleActivityFormGoesThroughTheSameIntake() {
        Launched l = launch(resource("Sample", "activity"), s -> { });

        // a page of another site posting the learner's form (the launch token is in the learner's hands) is refused
        given().contentType(ContentType.URLENC).header("Origin", "https://evil.example")
                .formParam("launch_token", l.token()).formParam("scoreGiven", "6")
                .post("/activity/" + l.res().id() + "/score").then().statusCode(403);
        given().contentType(ContentType.URLENC).formParam("launch_token", l.token()).formParam("scoreGiven", "6")
                .post("/activity/" + l.res().id() + "/score").then().statusCode(403);
        assertEquals(0, DbCounts.scalar(db, "select count(*) from score where platform_subject = ?", l.sub()));

        LtiBrowser browser = new LtiBrowser();
        browser.formRequest().formParam("launch_token", l.token()).formParam("scoreGiven", "6")
                .formParam("comment", "from the form").post("/activity/" + l.res().id() + "/score")
                .then().statusCode(200).body(containsString("recorded"));
        browser.formRequest().formParam("launch_token", l.token()).formParam("scoreGiven", "60")
                .post("/activity/" + l.res().id() + "/score")
                .then().statusCode(422).body(containsString("above the maximum"));

        Eventually.await(WAIT, () -> services.scoresFor(l.sub()).size() == 1, () -> "form score not delivered");
        assertEquals("from the form", services.scoresFor(l.sub()).get(0).body().path("comment").asText());
        // the platform answers before the outbox records SENT: wait for that eventual state
        Eventually.await(WAIT, () -> "SENT".equals(formScoreStatus(l)), () -> "form score is " + formScoreStatus(l));
        assertEquals("SENT", formScoreStatus(l));
    }

    private String formScoreStatus(Launched l) {
        return DbCounts.text(db, "select status from score where platform_subject = ?", l.sub());
    }

    @Test
    void aScoreSentAgainAfterACrashIsTheSameScore() {
        // a platform of its own: the re-send counts as a stale score there, which other tests assert never happens
        try (PlatformSimulator crashed = new PlatformSimulator()) {
            resentIdentically(crashed, new PlatformServices(crashed, "http://localhost:" + RestAssured.port
                    + "/.well-known/jwks.json"));
        }
    }

    private void resentIdentically(PlatformSimulator platform, PlatformServices services) {
        Launched l = launch(platform, resource("Crash", "problem"), s -> { });
        String id = postScore(l, Map.of("scoreGiven", 7.123456, "comment", "first try")).then().statusCode(202)
                .extract().path("id");
        Eventually.await(WAIT, () -> "SENT".equals(status(id)), () -> "score is " + status(id));

        // kill -9 after the platform's 200 and before SENT was recorded: the row is still pending under the dead
        // replica's lease, and whoever claims it after the lease sends it again (at least once, never lost)
        DbCounts.scalar(db, "with u as (update score set status = 'PENDING', sent_at = null, next_attempt_at = now(), "
                + "lease_owner = 'dead-pod', lease_expires_at = now() where id = ?::uuid returning id) "
                + "select count(*) from u", id);

        Eventually.await(WAIT, () -> services.scoresFor(l.sub()).size() == 2 && "SENT".equals(status(id)),
                () -> services.scoresFor(l.sub()).size() + " received, score is " + status(id));
        List<ReceivedScore> received = services.scoresFor(l.sub());
        // AGS §3.4.1: the timestamp orders scores; the same timestamp and values make it the same score
        assertEquals(received.get(0).body(), received.get(1).body(), "the re-send is identical");
        assertEquals(received.get(0).path(), received.get(1).path());
        assertEquals("7.1235", received.get(0).body().path("scoreGiven").asText(), "stored at the column's scale");
        assertEquals(1, services.staleScores(), "to the platform, the same timestamp again: not a newer score");
        assertEquals(1, DbCounts.scalar(db, "select count(*) from score where platform_subject = ?", l.sub()));
    }

    @Test
    void gradeSyncResendsOnlyGradesThatChangedSinceTheLastSuccessfulSend() {
        Map<String, Object> res = new HashMap<>(resource("Synced grades", "problem"));
        res.put("gradeSync", true);
        Launched l = launch(res, s -> { });
        Launched other = launch(res, s -> { });
        services.refuseUser(l.sub(), 422, "{\"error\":\"user is not enrolled yet\"}");
        String refused = postScore(l, Map.of("scoreGiven", 3)).then().statusCode(202).extract().path("id");
        String fine = postScore(other, Map.of("scoreGiven", 4)).then().statusCode(202).extract().path("id");
        Eventually.await(WAIT, () -> "FAILED".equals(status(refused)) && "SENT".equals(status(fine)),
                () -> "statuses " + status(refused) + " " + status(fine));
        services.clearFaults();

        AdminApi.admin().post("/api/v1/resources/" + l.res().id() + "/sync/grades").then().statusCode(202);

        Eventually.await(WAIT, () -> services.scoresFor(l.sub()).size() == 1, () -> "failed grade not re-sent");
        Eventually.await(WAIT, () -> {
            Integer queued = AdminApi.admin().get("/api/v1/resources/" + l.res().id() + "/sync").then().statusCode(200)
                    .extract().path("find { it.kind == 'grades' }.counts.queued");
            return Integer.valueOf(1).equals(queued);
        }, () -> "grade sync run not recorded");
        assertEquals(3, services.scoresFor(l.sub()).get(0).body().path("scoreGiven").asInt());
        assertEquals(1, services.scoresFor(other.sub()).size(), "an unchanged grade is not sent again");
        // the platform has it; the outbox records SENT just after: wait for that eventual state
        Eventually.await(WAIT, () -> DbCounts.scalar(db, "select count(*) from score where platform_subject = ? "
                + "and origin = 'GRADE_SYNC' and status = 'SENT'", l.sub()) == 1, () -> "grade sync score not SENT");
        assertEquals("grade_sync", AdminApi.admin().queryParam("status", "sent").get("/api/v1/scores").then()
                .extract().path("find { it.userId == '" + l.sub() + "' }.origin"));

        // nothing changed since: the next run queues nothing
        String firstRun = AdminApi.admin().get("/api/v1/resources/" + l.res().id() + "/sync").then()
                .extract().path("find { it.kind == 'grades' }.runId");
        AdminApi.admin().post("/api/v1/resources/" + l.res().id() + "/sync/grades").then().statusCode(202);
        Eventually.await(WAIT, () -> !firstRun.equals(AdminApi.admin().get("/api/v1/resources/" + l.res().id() + "/sync")
                .then().extract().path("find { it.kind == 'grades' }.runId")), () -> "second grade sync did not run");
        AdminApi.admin().get("/api/v1/resources/" + l.res().id() + "/sync").then()
                .body("find { it.kind == 'grades' }.counts.queued", equalTo(0))
                .body("find { it.kind == 'grades' }.result", equalTo("ok"));
        assertEquals(1, services.scoresFor(l.sub()).size());

        // the counters a dashboard reads
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("lti_grades_scores_sent_total"))
                .body(containsString("lti_grades_scores_failed_total"))
                .body(containsString("lti_grades_outbox_depth"))
                .body(containsString("lti_platform_token_requests_total"))
                .body(containsString("lti_sync_runs_seconds_count{kind=\"grades\""));
    }

    @Test
    void twoWorkerPoolsDrainThousandsOfScoresEachSentExactlyOnce() throws Exception {
        Launched l = launch(resource("Bulk", "problem"), s -> { });
        int count = 2000;
        String prefix = "bulk-" + UUID.randomUUID() + "-";
        scheduler.pause("score-outbox"); // exactly two pools: the replica's own tick stays out
        insertScores(l, prefix, count);
        Instant start = Instant.now();

        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Integer> claimedBy = new HashMap<>();
        List<Thread> pools = new ArrayList<>();
        for (String pool : List.of("pool-a", "pool-b")) {
            Thread t = Thread.ofPlatform().name(pool).start(() -> {
                int claimed = 0;
                while (!stop.get()) {
                    int n = worker.drainOnce(pool);
                    claimed += n;
                    if (n == 0) {
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                synchronized (claimedBy) {
                    claimedBy.put(pool, claimed);
                }
            });
            pools.add(t);
        }
        Eventually.await(Duration.ofSeconds(120), () -> DbCounts.scalar(db,
                "select count(*) from score where platform_subject like ? and status = 'SENT'", prefix + "%") == count,
                () -> DbCounts.scalar(db, "select count(*) from score where platform_subject like ? and status = 'SENT'",
                        prefix + "%") + " of " + count + " sent");
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        stop.set(true);
        for (Thread t : pools) {
            t.join();
        }
        scheduler.resume("score-outbox");

        Map<String, Integer> perUser = new LinkedHashMap<>();
        services.scores().stream().map(ReceivedScore::userId).filter(u -> u.startsWith(prefix))
                .forEach(u -> perUser.merge(u, 1, Integer::sum));
        assertEquals(count, perUser.size(), "every score arrived");
        assertTrue(perUser.values().stream().allMatch(n -> n == 1), "no score arrived twice");
        assertTrue(claimedBy.get("pool-a") > 0 && claimedBy.get("pool-b") > 0, "both pools worked: " + claimedBy);
        System.out.printf("outbox: %d scores delivered in %.1f s (%.0f scores/s), claimed %s%n", count, seconds,
                count / seconds, claimedBy);
    }

    @Test
    void aBacklogWithSeveralScoresPerLearnerArrivesOnceEachAndInTimestampOrder() throws Exception {
        Launched l = launch(resource("Backlog", "problem"), s -> { });
        String prefix = "order-" + UUID.randomUUID() + "-";
        int learners = 300;
        int stale = services.staleScores();
        // three scores per learner, the oldest first: all due at once, so the lanes' senders race for them
        insertScores(l, prefix, learners);
        DbCounts.scalar(db, """
                with more as (
                    insert into score (id, account_id, resource_id, resource_link_id, platform_issuer, platform_subject,
                        score_given, score_maximum, activity_progress, grading_progress, scored_at, created_at, status,
                        next_attempt_at)
                    select gen_random_uuid(), s.account_id, s.resource_id, s.resource_link_id, s.platform_issuer,
                        s.platform_subject, k, 10, 'Completed', 'FullyGraded', s.scored_at + k * interval '1 second',
                        now(), 'PENDING', now()
                    from score s cross join generate_series(1, 2) k where s.platform_subject like ?
                    returning 1)
                select count(*) from more""", prefix + "%");

        Eventually.await(Duration.ofSeconds(120), () -> DbCounts.scalar(db,
                "select count(*) from score where platform_subject like ? and status = 'SENT'", prefix + "%") == 3L * learners,
                () -> DbCounts.scalar(db, "select count(*) from score where platform_subject like ? and status = 'SENT'",
                        prefix + "%") + " of " + 3 * learners + " sent");

        Map<String, List<Integer>> received = new LinkedHashMap<>();
        services.scores().stream().filter(s -> s.userId().startsWith(prefix)).forEach(s -> received
                .computeIfAbsent(s.userId(), u -> new ArrayList<>()).add(s.body().path("scoreGiven").asInt()));
        assertEquals(learners, received.size(), "every learner's scores arrived");
        received.forEach((user, given) -> assertEquals(List.of(given.get(0), 1, 2), given,
                user + ": each score once, the newer after the older"));
        assertEquals(stale, services.staleScores(), "no older score overtook a newer one");
    }

    @Test
    void scoresOfAWorkerThatDiedAreTakenOverWhenItsLeaseExpires() throws Exception {
        Launched l = launch(resource("Orphaned", "problem"), s -> { });
        String prefix = "orphan-" + UUID.randomUUID() + "-";
        // the "dead" replica's claim: leased for 2 s, attempt 1 under way, and then nothing
        insertScores(l, prefix, 20, Instant.now().plusSeconds(3600));
        DbCounts.scalar(db, "with u as (update score set next_attempt_at = now(), lease_owner = 'dead-pod', "
                + "lease_expires_at = now() + interval '2 seconds', attempts = 1 where platform_subject like ? "
                + "returning id) select count(*) from u", prefix + "%");
        UUID taken = UUID.fromString(DbCounts.text(db, "select id::text from score where platform_subject like ? limit 1",
                prefix + "%"));
        Thread.sleep(1000);
        assertEquals(0, services.scores().stream().filter(s -> s.userId().startsWith(prefix)).count(),
                "leased scores are nobody else's while the lease lasts");

        Eventually.await(WAIT, () -> DbCounts.scalar(db,
                "select count(*) from score where platform_subject like ? and status = 'SENT'", prefix + "%") == 20,
                () -> "orphaned scores not taken over");
        assertEquals(20, services.scores().stream().filter(s -> s.userId().startsWith(prefix)).count());
        assertEquals(20, DbCounts.scalar(db, "select count(*) from score where platform_subject like ? and attempts = 2",
                prefix + "%"));
        // the dead pod's late outcome is fenced off
        assertTrue(!outbox.sent(taken, "dead-pod"));
    }

    private void insertScores(Launched l, String prefix, int count) throws Exception {
        insertScores(l, prefix, count, Instant.now());
    }

    /** Accounts, platform users and pending scores for {@code count} learners of the launched link, in bulk. */
    private void insertScores(Launched l, String prefix, int count, Instant due) throws Exception {
        String link = DbCounts.text(db, "select l.id::text from resource_link l join deployment d on d.id = l.deployment_id "
                + "where d.registration_id = ? and l.resource_link_id = 'rl-1'", l.reg().id());
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement account = c.prepareStatement("insert into account (id, username, anonymous, created_at) "
                    + "values (?, ?, false, now())");
                    PreparedStatement user = c.prepareStatement("insert into platform_user (id, issuer, subject, "
                            + "account_id, created_at, last_launch_at) values (?, ?, ?, ?, now(), now())");
                    PreparedStatement score = c.prepareStatement("insert into score (id, account_id, resource_id, "
                            + "resource_link_id, platform_issuer, platform_subject, score_given, score_maximum, "
                            + "activity_progress, grading_progress, scored_at, created_at, status, next_attempt_at) "
                            + "values (?, ?, ?, ?::uuid, ?, ?, ?, 10, 'Completed', 'FullyGraded', now(), now(), 'PENDING', ?)")) {
                for (int i = 0; i < count; i++) {
                    UUID accountId = UUID.randomUUID();
                    account.setObject(1, accountId);
                    account.setString(2, prefix + i);
                    account.addBatch();
                    user.setObject(1, UUID.randomUUID());
                    user.setString(2, l.reg().issuer());
                    user.setString(3, prefix + i);
                    user.setObject(4, accountId);
                    user.addBatch();
                    score.setObject(1, UUID.randomUUID());
                    score.setObject(2, accountId);
                    score.setObject(3, l.res().id());
                    score.setString(4, link);
                    score.setString(5, l.reg().issuer());
                    score.setString(6, prefix + i);
                    score.setInt(7, i % 11);
                    score.setTimestamp(8, Timestamp.from(due));
                    score.addBatch();
                }
                account.executeBatch();
                user.executeBatch();
                score.executeBatch();
            }
            c.commit();
        }
    }
}
