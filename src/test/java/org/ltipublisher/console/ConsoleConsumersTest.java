package org.ltipublisher.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The console's LTI 1.1 consumers screen: list, create with the secret shown once, settings, on and off. */
@QuarkusTest
class ConsoleConsumersTest extends WithPostgres {

    static final Pattern FIELD = Pattern.compile("id=\"(consumer-key|consumer-secret|launch-url)\" readonly value=\"([^\"]*)\"");

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    ConsoleFixture.SignedIn console;
    String session;
    LtiBrowser browser;

    @BeforeEach
    void signIn() throws SQLException {
        console = ConsoleFixture.firstAdmin(db, setupLink, "lti11-admin", "consumer admin password");
        browser = console.browser();
        session = console.session();
    }

    private static Map<String, String> fields(String page) {
        Map<String, String> fields = new HashMap<>();
        Matcher m = FIELD.matcher(page);
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        return fields;
    }

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private UUID consumerIdOfKey(String key) {
        return UUID.fromString(DbCounts.text(db, "select id::text from lti_consumer where consumer_key = ?", key));
    }

    @Test
    void aNewConsumersSecretIsShownOnceAndWorksAndNoLaterPageShowsIt() {
        String name = "Canvas of the district " + UUID.randomUUID();
        Response created = console.post("/console/consumers", form("name", name, "consumerKey", "", "authMode", "anonymous"));
        assertEquals(200, created.statusCode(), created.asString());
        assertEquals("no-store", created.header("Cache-Control"));
        Map<String, String> shown = fields(created.asString());
        String key = shown.get("consumer-key");
        String secret = shown.get("consumer-secret");
        assertTrue(key != null && key.startsWith("lp-"), created.asString());
        assertTrue(secret != null && secret.length() >= 40, created.asString());
        assertTrue(shown.get("launch-url").endsWith("/lti/v1p1/resources/{resourceId}"), shown.get("launch-url"));
        assertTrue(created.asString().contains("value=\"id={resourceId}\""), "the custom parameter to copy");
        UUID id = consumerIdOfKey(key);
        assertFalse(DbCounts.text(db, "select secret_jwe from lti_consumer where id = ?", id).contains(secret),
                "stored encrypted");

        // the secret is the consumer's: a launch signed with it is accepted
        Published res = AdminApi.publish("Problem for the console's consumer", "auto", "auto");
        try (ConsumerSimulator lms = new ConsumerSimulator(key, secret)) {
            String url = shown.get("launch-url").replace("{resourceId}", res.id().toString());
            HttpResponse<String> launch = lms.post(url, lms.sign(url, ConsumerSimulator.basicLaunch("u-" + UUID.randomUUID(), "rl-1")));
            assertEquals(303, launch.statusCode(), launch.body());
        }

        // no later page shows it: the list, the consumer's page (a reload), the API's list
        console.page("/console/consumers").then().statusCode(200).body(containsString(name)).body(containsString(key))
                .body(containsString("enabled")).body(not(containsString(secret)));
        console.page("/console/consumers/" + id).then().statusCode(200).body(containsString(key))
                .body(containsString("lms.school.example")).body(containsString("shown once"))
                .body(containsString("/lti/v1p1/resources/{resourceId}")).body(not(containsString(secret)));
        AdminApi.admin().get("/api/v1/consumers").then().statusCode(200).body(not(containsString(secret)));
    }

    @Test
    void settingsAndTheSwitchChangeTheConsumerAndADisabledConsumersLaunchIsRefusedStoringNothing() {
        ConsumerSimulator lms = ConsumerSimulator.create("anonymous", false);
        try (lms) {
            String base = "/console/consumers/" + lms.id;
            assertEquals(303, console.post(base, form("name", "Renamed LMS", "authMode", "auto-link-email",
                    "requireUserAccount", "on")).statusCode());
            assertEquals(1, DbCounts.scalar(db, "select count(*) from lti_consumer where id = ? and name = 'Renamed LMS' "
                    + "and auth_mode = 'AUTO_LINK_EMAIL' and require_user_account", lms.id));
            console.page(base).then().body(containsString("value=\"auto-link-email\" selected"));
            assertEquals(303, console.post(base, form("name", "Renamed LMS", "authMode", "anonymous")).statusCode());
            assertEquals(1, DbCounts.scalar(db, "select count(*) from lti_consumer where id = ? "
                    + "and auth_mode = 'ANONYMOUS' and not require_user_account", lms.id));

            Response off = console.post(base + "/enabled", form("enabled", "false"));
            assertEquals(303, off.statusCode(), off.asString());
            assertTrue(off.header("Location").endsWith(base), off.header("Location"));
            console.page("/console/consumers").then().body(containsString("disabled"));
            AdminApi.admin().get("/api/v1/consumers/" + lms.id).then().body("enabled", org.hamcrest.Matchers.is(false));

            Published res = AdminApi.publish("Problem for a disabled consumer", "auto", "auto");
            String url = lms.launchUrl(res.id());
            DbCounts before = DbCounts.of(db);
            HttpResponse<String> refused = lms.post(url, lms.sign(url, ConsumerSimulator.basicLaunch("u-off", "rl-off")));
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("switched off"), refused.body());
            assertEquals(before, DbCounts.of(db), "a refused launch stores nothing, not even its nonce");

            assertEquals(303, console.post(base + "/enabled", form("enabled", "true")).statusCode());
            HttpResponse<String> again = lms.post(url, lms.sign(url, ConsumerSimulator.basicLaunch("u-off", "rl-off")));
            assertEquals(303, again.statusCode(), again.body());
        }
    }

    @Test
    void badInputIsRefusedWithAReasonAndChangesNothing() {
        ConsumerSimulator lms = ConsumerSimulator.create("anonymous", false);
        try (lms) {
            long consumers = DbCounts.scalar(db, "select count(*) from lti_consumer");
            Response noName = console.post("/console/consumers", form("name", " ", "authMode", "anonymous"));
            assertEquals(422, noName.statusCode(), noName.asString());
            assertTrue(noName.asString().contains("name is required"), noName.asString());
            Response badMode = console.post("/console/consumers", form("name", "X", "authMode", "trust-everyone"));
            assertEquals(422, badMode.statusCode(), badMode.asString());
            assertTrue(badMode.asString().contains("anonymous, auto-link-email, existing-only"), badMode.asString());
            Response takenKey = console.post("/console/consumers", form("name", "Y", "consumerKey", lms.key(), "authMode", "anonymous"));
            assertEquals(409, takenKey.statusCode(), takenKey.asString());
            Response badKey = console.post("/console/consumers", form("name", "Y", "consumerKey", "has spaces", "authMode", "anonymous"));
            assertEquals(422, badKey.statusCode(), badKey.asString());
            assertEquals(consumers, DbCounts.scalar(db, "select count(*) from lti_consumer"));

            String base = "/console/consumers/" + lms.id;
            String state = "select name || auth_mode || require_user_account || enabled from lti_consumer where id = ?";
            String before = DbCounts.text(db, state, lms.id);
            assertEquals(422, console.post(base, form("name", "", "authMode", "anonymous")).statusCode());
            assertEquals(422, console.post(base, form("name", "Z")).statusCode());
            assertEquals(400, console.post(base, form("name", "Z", "authMode", "anonymous", "requireUserAccount", "maybe")).statusCode());
            Response badSwitch = console.post(base + "/enabled", form("enabled", "maybe"));
            assertEquals(400, badSwitch.statusCode(), badSwitch.asString());
            assertTrue(badSwitch.asString().contains("true or false"), badSwitch.asString());
            assertEquals(before, DbCounts.text(db, state, lms.id));

            assertEquals(404, console.post("/console/consumers/" + UUID.randomUUID() + "/enabled", form("enabled", "false")).statusCode());
            console.page("/console/consumers/not-a-uuid").then().statusCode(404).body(containsString("consumers list"));
            console.page("/console/consumers/" + UUID.randomUUID()).then().statusCode(404);
        }
    }

    @Test
    void formsWithoutTheTokenOrFromAnotherOriginAreRefusedAndChangeNothing() {
        ConsumerSimulator lms = ConsumerSimulator.create("anonymous", false);
        try (lms) {
            long consumers = DbCounts.scalar(db, "select count(*) from lti_consumer");
            String cookies = LtiBrowser.CSRF_COOKIE + "=" + browser.csrfToken() + "; " + ConsoleSessions.COOKIE + "=" + session;

            Response noToken = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .header("Origin", browser.toolOrigin()).header("Cookie", cookies)
                    .formParam("name", "Forged").formParam("authMode", "anonymous").post("/console/consumers");
            assertEquals(403, noToken.statusCode(), noToken.asString());
            Response foreign = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .header("Origin", "https://attacker.example").header("Cookie", cookies)
                    .formParam(LtiBrowser.CSRF_FIELD, browser.csrfToken()).formParam("enabled", "false")
                    .post("/console/consumers/" + lms.id + "/enabled");
            assertEquals(403, foreign.statusCode(), foreign.asString());
            Response foreignSettings = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .header("Origin", "https://attacker.example").header("Cookie", cookies)
                    .formParam(LtiBrowser.CSRF_FIELD, browser.csrfToken()).formParam("name", "Forged")
                    .formParam("authMode", "auto-link-email").post("/console/consumers/" + lms.id);
            assertEquals(403, foreignSettings.statusCode(), foreignSettings.asString());

            assertEquals(consumers, DbCounts.scalar(db, "select count(*) from lti_consumer"));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from lti_consumer where id = ? and enabled "
                    + "and auth_mode = 'ANONYMOUS' and name <> 'Forged'", lms.id));
        }
    }

    @Test
    void withoutASessionEveryPageAndFormLeadsToSignIn() {
        given().redirects().follow(false).get("/console/consumers").then().statusCode(303)
                .header("Location", containsString("/console/signin"));
        given().redirects().follow(false).get("/console/consumers/" + UUID.randomUUID()).then().statusCode(303)
                .header("Location", containsString("/console/signin"));
        long consumers = DbCounts.scalar(db, "select count(*) from lti_consumer");
        browser.formRequest().formParam("name", "No session").formParam("authMode", "anonymous")
                .post("/console/consumers").then().statusCode(303).header("Location", containsString("/console/signin"));
        assertEquals(consumers, DbCounts.scalar(db, "select count(*) from lti_consumer"));
    }
}
