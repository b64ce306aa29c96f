package org.ltipublisher.grades;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.ContentApi.Credential;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.WithPlatformServices;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Score intake under attack, over real HTTP: a learner posting with the launch token from the URL bar, a
 * content credential used for another resource, a forged maximum, and numbers and timestamps meant to break
 * the intake. Every refusal is a short 4xx and stores nothing.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class ScoreIntakeTest extends WithPlatformServices {

    static final Duration WAIT = Duration.ofSeconds(20);
    /** Longer than any answer of ours (the HTML error page included), far shorter than an expanded number. */
    static final int SHORT = 4000;

    @Inject
    DataSource db;

    record Launched(Published res, String sub, String token, Credential credential) {
    }

    private static Launched launch(Map<String, Object> resource) {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Response published = AdminApi.admin().body(resource).post("/api/v1/resources").then().statusCode(201)
                .extract().response();
        Published res = new Published(UUID.fromString(published.path("id")), published.path("launchUrl"));
        Credential credential = new Credential(res.id(), published.path("contentCredential.keyId"),
                published.path("contentCredential.secret"));
        String sub = "learner-" + UUID.randomUUID();
        Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(),
                LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(), sub));
        assertEquals(303, launch.statusCode(), launch.asString());
        String location = launch.header("Location");
        String token = URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
        return new Launched(res, sub, token, credential);
    }

    private static Map<String, Object> resource(String title) {
        Map<String, Object> resource = new HashMap<>(Map.of("title", title, "kind", "problem", "maxGrade", 10,
                "studentProvisioning", "auto", "teacherProvisioning", "auto"));
        resource.put("contentUrl", "https://content.example/" + UUID.randomUUID());
        return resource;
    }

    private long scores(Launched l) {
        return DbCounts.scalar(db, "select count(*) from score where platform_subject = ?", l.sub());
    }

    /** A refusal: status, code, a short body, and no score stored for the learner. */
    private void assertRefused(Launched l, Response response, int status, String code) {
        String body = response.asString();
        assertEquals(status, response.statusCode(), body.length() > SHORT ? body.substring(0, SHORT) : body);
        assertTrue(body.length() < SHORT, "a short answer, not " + body.length() + " characters");
        if (code != null) {
            assertEquals(code, response.path("error"), body);
        }
        assertEquals(0, scores(l), "nothing stored");
    }

    private static Response post(Launched l, String json) {
        return ContentApi.as(l.credential(), l.token()).body(json).post("/api/v1/scores");
    }

    @Test
    void theLearnersLaunchTokenAloneCannotSetAGrade() {
        Launched l = launch(resource("Forged grade"));

        // the token from the browser's URL bar, as bearer: what a learner did to post 1000000/1000000
        Response bearer = given().auth().oauth2(l.token()).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("scoreGiven", 10, "scoreMaximum", 10)).post("/api/v1/scores");
        assertRefused(l, bearer, 401, "content_credential_required");
        bearer.then().body("message", containsString("content application's credential"))
                .body("message", containsString("LTI-Launch-Token"));
        // the token in the content's header, still without the credential
        assertRefused(l, given().header(ContentApi.LAUNCH_TOKEN_HEADER, l.token()).contentType(ContentType.JSON)
                .body(Map.of("scoreGiven", 10)).post("/api/v1/scores"), 401, "content_credential_required");
        // a guessed secret
        assertRefused(l, ContentApi.as(new Credential(l.res().id(), l.credential().keyId(), "guess"), l.token())
                .body(Map.of("scoreGiven", 10)).post("/api/v1/scores"), 401, "invalid_content_credential");
        assertRefused(l, given().header("Authorization", "Basic !!!").header(ContentApi.LAUNCH_TOKEN_HEADER, l.token())
                .contentType(ContentType.JSON).body(Map.of("scoreGiven", 10)).post("/api/v1/scores"), 401,
                "invalid_content_credential");
        // the credential without a launch token names no learner
        assertRefused(l, ContentApi.as(l.credential(), null).body(Map.of("scoreGiven", 10)).post("/api/v1/scores"),
                401, "missing_launch_token");

        // the content application's credential with the learner's launch token
        String id = ContentApi.as(l.credential(), l.token()).body(Map.of("scoreGiven", 7, "scoreMaximum", 10))
                .post("/api/v1/scores").then().statusCode(202).extract().path("id");
        Eventually.await(WAIT, () -> services.scoresFor(l.sub()).size() == 1, () -> "score " + id + " not delivered");
        assertEquals(7, services.scoresFor(l.sub()).get(0).body().path("scoreGiven").asInt());
    }

    @Test
    void aCredentialSpeaksOnlyForItsOwnResource() {
        Launched mine = launch(resource("Mine"));
        Launched other = launch(resource("Other"));

        assertRefused(mine, ContentApi.as(other.credential(), mine.token()).body(Map.of("scoreGiven", 5))
                .post("/api/v1/scores"), 403, "credential_of_another_resource");

        // rotation: the old secret stops working at once, the new one works; GET never shows a secret
        Credential rotated = ContentApi.credential(mine.res().id());
        assertRefused(mine, ContentApi.as(mine.credential(), mine.token()).body(Map.of("scoreGiven", 5))
                .post("/api/v1/scores"), 401, "invalid_content_credential");
        ContentApi.as(rotated, mine.token()).body(Map.of("scoreGiven", 5)).post("/api/v1/scores").then().statusCode(202);
        String shown = AdminApi.admin().get("/api/v1/resources/" + mine.res().id()).then().statusCode(200).extract()
                .asString();
        assertTrue(!shown.contains(rotated.secret()), shown);
        assertNull(AdminApi.admin().get("/api/v1/resources/" + mine.res().id()).then().extract()
                .path("contentCredential"));
        assertNotNull(rotated.keyId());
        AdminApi.admin().post("/api/v1/resources/" + UUID.randomUUID() + "/content-credential").then().statusCode(404);
        given().contentType(ContentType.JSON).post("/api/v1/resources/" + mine.res().id() + "/content-credential")
                .then().statusCode(401);
    }

    @Test
    void scoreMaximumIsTheResources() {
        Launched l = launch(resource("Maximum"));

        assertRefused(l, post(l, "{\"scoreGiven\":1000000,\"scoreMaximum\":1000000}"), 422, "maximum_mismatch");
        assertRefused(l, post(l, "{\"scoreGiven\":1,\"scoreMaximum\":100}"), 422, "maximum_mismatch");
        post(l, "{\"scoreGiven\":1,\"scoreMaximum\":10.000}").then().statusCode(202);
        post(l, "{\"scoreGiven\":2}").then().statusCode(202);
        assertEquals(2, DbCounts.scalar(db, "select count(*) from score where platform_subject = ? "
                + "and score_maximum = 10", l.sub()));
    }

    @Test
    void theSampleActivityFormIsNoWayAroundAContentApplication() {
        Launched l = launch(resource("Has its own content"));

        Response form = new LtiBrowser().formRequest().accept(ContentType.HTML)
                .formParam("launch_token", l.token()).formParam("scoreGiven", "10")
                .post("/activity/" + l.res().id() + "/score");

        assertRefused(l, form, 403, null);
        form.then().body(containsString("not_sample_activity")).body(containsString("its own content application"));
    }

    @Test
    void timestampsOutsideTheClockSkewAreRefused() {
        Launched l = launch(resource("Timestamps"));
        String future = "9999-12-31T23:59:59.999Z";
        String past = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).toString();

        assertRefused(l, post(l, "{\"scoreGiven\":1,\"timestamp\":\"" + future + "\"}"), 422, "timestamp_out_of_range");
        assertRefused(l, post(l, "{\"scoreGiven\":1,\"timestamp\":\"" + past + "\"}"), 422, "timestamp_out_of_range");
        assertRefused(l, post(l, "{\"scoreGiven\":1,\"timestamp\":\"" + "9".repeat(100_000) + "\"}"), 422,
                "invalid_timestamp");
        assertRefused(l, post(l, "{\"scoreGiven\":1,\"activityProgress\":\"" + "x".repeat(100_000) + "\"}"), 422,
                "invalid_activityProgress");

        // a timestamp within the skew is kept; the next score without one is stamped now, not after year 9999
        String within = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(5).toString();
        post(l, "{\"scoreGiven\":1,\"timestamp\":\"" + within + "\"}").then().statusCode(202);
        post(l, "{\"scoreGiven\":2}").then().statusCode(202);
        Eventually.await(WAIT, () -> services.scoresFor(l.sub()).size() == 2, () -> "scores not delivered");
        Instant latest = Instant.parse(services.scoresFor(l.sub()).get(1).body().path("timestamp").asText());
        assertTrue(latest.isBefore(Instant.now().plus(Duration.ofMinutes(1))), latest.toString());
        assertEquals(0, services.staleScores());
    }

    @Test
    void numbersMeantToBreakTheIntakeAreShortRefusals() {
        Launched l = launch(resource("Numbers"));

        // 26 bytes that expand to 100 MB as plain text
        assertRefused(l, post(l, "{\"scoreGiven\":1e100000000}"), 422, "score_out_of_range");
        assertRefused(l, post(l, "{\"scoreGiven\":1e-100000000}"), 422, "score_out_of_range");
        assertRefused(l, post(l, "{\"scoreGiven\":1,\"scoreMaximum\":1e100000000}"), 422, "maximum_mismatch");
        assertRefused(l, post(l, "{\"scoreGiven\":" + "9".repeat(900) + "}"), 422, "score_out_of_range");
        // once a 500 (numeric overflow in the database)
        assertRefused(l, post(l, "{\"scoreGiven\":1e30,\"scoreMaximum\":1e30}"), 422, "maximum_mismatch");
        assertRefused(l, post(l, "{\"scoreGiven\":1e30}"), 422, "score_out_of_range");
        assertRefused(l, post(l, "{\"scoreGiven\":-0.5}"), 422, "negative_score");
        assertRefused(l, post(l, "{\"scoreGiven\":10.00001}"), 422, "score_above_maximum");
        // malformed JSON and wrong types: 400
        assertRefused(l, post(l, "{\"scoreGiven\":"), 400, null);
        assertRefused(l, post(l, "{\"scoreGiven\":\"ten\"}"), 400, null);

        // the admin API bounds a resource's maximum the same way
        AdminApi.admin().body("{\"title\":\"Huge\",\"kind\":\"problem\",\"maxGrade\":1e30}").post("/api/v1/resources")
                .then().statusCode(422).body("error", equalTo("invalid_max_grade"));
        Response bomb = AdminApi.admin().body("{\"title\":\"Bomb\",\"kind\":\"problem\",\"maxGrade\":1e100000000}")
                .post("/api/v1/resources");
        assertEquals(422, bomb.statusCode());
        assertTrue(bomb.asString().length() < SHORT, bomb.asString().length() + " characters");

        // a long decimal from a JavaScript content is accepted at the column's scale
        post(l, "{\"scoreGiven\":0.30000000000000004}").then().statusCode(202);
        assertEquals("0.3000", DbCounts.text(db, "select score_given::text from score where platform_subject = ?",
                l.sub()));
    }
}
