package org.ltipublisher.registration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.RegistrationSimulator;
import org.ltipublisher.testing.RegistrationSimulator.Family;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * LTI Dynamic Registration 1.0 against simulated Moodle, Canvas and Brightspace platforms over real HTTP,
 * each followed by a launch; and every failure leaving the pending registration retryable.
 */
@QuarkusTest
class DynamicRegistrationTest extends WithPostgres {

    static final String TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration";

    @Inject
    DataSource db;

    /** A pending registration as the admin API creates it. */
    record Pending(UUID id, String registrationUrl) {
        String path() {
            return URI.create(registrationUrl).getPath();
        }
    }

    static Pending createPending(String name) {
        Response created = AdminApi.admin().body(Map.of("name", name)).post("/api/v1/registrations")
                .then().statusCode(201).extract().response();
        String url = created.path("registrationUrl");
        assertNotNull(url, created.asString());
        assertTrue(url.contains("/lti/register/"), url);
        return new Pending(UUID.fromString(created.path("id")), url);
    }

    static Response open(Pending pending, RegistrationSimulator platform) {
        return open(pending.path(), platform.configurationUrl(), platform.registrationToken);
    }

    static Response open(String path, String configurationUrl, String registrationToken) {
        var request = given().redirects().follow(false);
        if (configurationUrl != null) {
            request.queryParam("openid_configuration", configurationUrl);
        }
        if (registrationToken != null) {
            request.queryParam("registration_token", registrationToken);
        }
        return request.get(path);
    }

    private void launchAfterRegistration(PlatformSimulator platform, RegistrationSimulator dr, UUID registrationId,
            String deploymentId) {
        Published resource = AdminApi.publish("Registered activity " + UUID.randomUUID(), "auto", "auto");
        Registered registered = new Registered(registrationId, platform.issuer(), dr.clientId, deploymentId);
        String sub = "user-" + UUID.randomUUID();
        Response launch = new LtiBrowser().launch(platform, registered, resource.launchUrl(),
                LaunchSpec.resourceLink(platform.issuer(), dr.clientId, deploymentId, resource.launchUrl(), sub));
        assertEquals(303, launch.statusCode(), launch.asString());
        assertTrue(launch.header("Location").contains("/activity/" + resource.id()), launch.header("Location"));
    }

    private String column(UUID registrationId, String column) {
        return DbCounts.text(db, "select " + column + " from registration where id = ?", registrationId);
    }

    @Test
    @SuppressWarnings("unchecked")
    void moodleRegistersWithStringMessagesAndThenLaunches() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Moodle " + UUID.randomUUID());

            Response page = open(pending, moodle);

            assertEquals(200, page.statusCode(), page.asString());
            page.then().body(containsString("org.imsglobal.lti.close")).body(containsString(moodle.clientId));
            RegistrationSimulator.RegistrationCall call = moodle.calls().get(0);
            assertEquals("Bearer " + moodle.registrationToken, call.authorization());
            Map<String, Object> body = call.body();
            assertEquals("web", body.get("application_type"));
            assertEquals(List.of("implicit", "client_credentials"), body.get("grant_types"));
            assertEquals("private_key_jwt", body.get("token_endpoint_auth_method"));
            assertTrue(((String) body.get("initiate_login_uri")).endsWith("/lti/login"));
            assertTrue(((String) body.get("jwks_uri")).endsWith("/.well-known/jwks.json"));
            assertEquals(2, ((List<?>) body.get("redirect_uris")).size());
            assertEquals("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem "
                    + "https://purl.imsglobal.org/spec/lti-ags/scope/score "
                    + "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly "
                    + "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly", body.get("scope"));
            Map<String, Object> tool = (Map<String, Object>) body.get(TOOL_CONFIG);
            List<Map<String, Object>> messages = (List<Map<String, Object>>) tool.get("messages");
            assertEquals("LtiResourceLinkRequest", messages.get(0).get("type"));
            assertEquals("LtiDeepLinkingRequest", messages.get(1).get("type"));
            assertTrue(((String) messages.get(1).get("target_link_uri")).endsWith("/lti/deep-linking"));
            assertEquals(List.of("AddContentMenu"), messages.get(1).get("placements"));
            assertNull(body.get("https://canvas.instructure.com/lti/privacy_level"));

            assertEquals(platform.issuer(), column(pending.id(), "issuer"));
            assertEquals(moodle.clientId, column(pending.id(), "client_id"));
            assertEquals(platform.authUrl(), column(pending.id(), "authentication_request_url"));
            assertEquals(platform.tokenUrl(), column(pending.id(), "access_token_url"));
            assertEquals(platform.jwksUrl(), column(pending.id(), "jwks_url"));
            assertEquals("moodle", column(pending.id(), "product_family_code"));
            assertEquals("REFUSE", column(pending.id(), "unknown_deployment_policy"));
            assertEquals("3", DbCounts.text(db, "select deployment_id from deployment where registration_id = ?",
                    pending.id()));
            AdminApi.admin().get("/api/v1/registrations/" + pending.id()).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("ACTIVE"));

            launchAfterRegistration(platform, moodle, pending.id(), "3");

            // the URL is one-time: a second use is refused and changes nothing
            Response again = open(pending, moodle);
            assertEquals(410, again.statusCode());
            again.then().body(containsString("already used"));
            assertEquals(1, moodle.calls().size());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void canvasGetsLabelsIconsAndPrivacyLevelAndThenLaunches() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator canvas = new RegistrationSimulator(platform, Family.CANVAS);
            Pending pending = createPending("Canvas " + UUID.randomUUID());

            Response page = open(pending, canvas);

            assertEquals(200, page.statusCode(), page.asString());
            Map<String, Object> body = canvas.calls().get(0).body();
            assertEquals("public", body.get("https://canvas.instructure.com/lti/privacy_level"));
            List<Map<String, Object>> messages = (List<Map<String, Object>>) ((Map<String, Object>) body.get(TOOL_CONFIG))
                    .get("messages");
            for (Map<String, Object> message : messages) {
                assertNotNull(message.get("label"), message.toString());
                assertTrue(((String) message.get("icon_uri")).endsWith("/icon.svg"), message.toString());
            }
            assertEquals(List.of("link_selection", "assignment_selection"), messages.get(1).get("placements"));
            assertEquals(platform.issuer() + "/login/oauth2/token", column(pending.id(), "token_audience"));
            assertEquals("canvas", column(pending.id(), "product_family_code"));
            given().get("/icon.svg").then().statusCode(200);

            launchAfterRegistration(platform, canvas, pending.id(), canvas.deploymentId);
        }
    }

    @Test
    void brightspaceWithoutDeploymentIdAcceptsTheFirstLaunchsDeployment() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator d2l = new RegistrationSimulator(platform, Family.BRIGHTSPACE);
            Pending pending = createPending("Brightspace " + UUID.randomUUID());

            Response page = open(pending, d2l);

            assertEquals(200, page.statusCode(), page.asString());
            page.then().body(containsString("first launch"));
            assertEquals("ADD", column(pending.id(), "unknown_deployment_policy"));
            assertEquals(0, DbCounts.scalar(db, "select count(*) from deployment where registration_id = ?", pending.id()));
            assertEquals(platform.issuer() + "/core/connect/token", column(pending.id(), "token_audience"));

            launchAfterRegistration(platform, d2l, pending.id(), "d2l-deployment-7");

            assertEquals("true", DbCounts.text(db, "select auto_added::text from deployment where registration_id = ? "
                    + "and deployment_id = 'd2l-deployment-7'", pending.id()));
        }
    }

    @Test
    void reRegistrationOfAKnownPlatformIsAnExplicitAdminActionThatUpdatesIt() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending first = createPending("Moodle first " + UUID.randomUUID());
            assertEquals(200, open(first, moodle).statusCode());

            // the Moodle admin registers again (e.g. after changing the tool's URL): the tool administrator issues
            // a re-registration URL for the existing registration; same issuer and client id
            platform.rotateKey();
            String again = AdminApi.admin().post("/api/v1/registrations/" + first.id() + "/registration-url")
                    .then().statusCode(201).extract().path("registrationUrl");
            Response page = open(URI.create(again).getPath(), moodle.configurationUrl(), moodle.registrationToken);

            assertEquals(200, page.statusCode(), page.asString());
            page.then().body(containsString("updated"));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from registration where issuer = ?", platform.issuer()));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from deployment where registration_id = ?", first.id()));
            // the re-registration URL is spent too
            assertEquals(410, open(URI.create(again).getPath(), moodle.configurationUrl(), moodle.registrationToken)
                    .statusCode());
            launchAfterRegistration(platform, moodle, first.id(), "3");
        }
    }

    /** The platform columns an attacker would want to repoint. */
    private Map<String, String> platformColumns(UUID registrationId) {
        Map<String, String> columns = new java.util.LinkedHashMap<>();
        for (String column : List.of("issuer", "client_id", "authentication_request_url", "access_token_url",
                "jwks_url", "token_audience", "unknown_deployment_policy", "updated_at::text")) {
            columns.put(column, column(registrationId, column));
        }
        return columns;
    }

    private long usedUrls(UUID registrationId) {
        return DbCounts.scalar(db, "select count(*) from registration_url where registration_id = ? and used_at is not null",
                registrationId);
    }

    @Test
    void aFreshRegistrationUrlCannotTakeOverAnExistingPlatform() {
        try (PlatformSimulator real = new PlatformSimulator(); PlatformSimulator attacker = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(real, Family.MOODLE);
            Pending existing = createPending("Real Moodle " + UUID.randomUUID());
            assertEquals(200, open(existing, moodle).statusCode());
            Map<String, String> before = platformColumns(existing.id());

            // the attacker's platform claims issuer A and client X, with its own keys and endpoints
            RegistrationSimulator forged = new RegistrationSimulator(attacker, Family.MOODLE);
            forged.configuration.put("issuer", real.issuer());
            forged.clientId = moodle.clientId;
            Pending fresh = createPending("Innocent looking " + UUID.randomUUID());
            DbCounts counts = DbCounts.of(db);

            // 1. http://issuer@attacker/: a string prefix of the URL, but the attacker's host
            String userinfoUrl = real.issuer() + "@" + URI.create(attacker.issuer()).getAuthority()
                    + "/.well-known/openid-configuration";
            Response trick = open(fresh.path(), userinfoUrl, forged.registrationToken);
            assertEquals(400, trick.statusCode(), trick.asString());
            trick.then().body(containsString("userinfo_in_url")).body(containsString("user information"));

            // 2. the attacker's own URL naming issuer A: not the issuer's origin
            Response foreign = open(fresh.path(), forged.configurationUrl(), forged.registrationToken);
            assertEquals(400, foreign.statusCode(), foreign.asString());
            foreign.then().body(containsString("issuer_mismatch"));
            assertTrue(forged.calls().isEmpty(), "the tool never registered itself at the attacker's platform");

            // 3. even served from the issuer's own origin (e.g. a page on the platform's site), a configuration
            //    whose issuer + client id belong to another registration changes nothing
            moodle.configuration.put("jwks_uri", attacker.jwksUrl());
            moodle.configuration.put("authorization_endpoint", attacker.authUrl());
            moodle.configuration.put("token_endpoint", attacker.tokenUrl());
            Response taken = open(fresh, moodle);
            assertEquals(409, taken.statusCode(), taken.asString());
            taken.then().body(containsString("platform_already_registered"))
                    .body(containsString("already registered as &#39;Real Moodle"))
                    .body(containsString("re-register it from that registration"));

            assertEquals(before, platformColumns(existing.id()), "the existing registration is unchanged");
            assertEquals(counts, DbCounts.of(db));
            assertNull(column(fresh.id(), "issuer"));
            assertEquals(0, usedUrls(fresh.id()), "the fresh URL is still unused");
            assertEquals(1, DbCounts.scalar(db, "select count(*) from registration where issuer = ?", real.issuer()));
            given().accept("application/json").queryParam("openid_configuration", userinfoUrl)
                    .get(fresh.path()).then().statusCode(400)
                    .body("error", org.hamcrest.Matchers.equalTo("userinfo_in_url"));

            // the real platform's launches still work
            launchAfterRegistration(real, moodle, existing.id(), "3");
        }
    }

    @Test
    void aReRegistrationUrlIsForItsOwnIssuerOnly() {
        try (PlatformSimulator platform = new PlatformSimulator(); PlatformSimulator other = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending existing = createPending("Moodle " + UUID.randomUUID());
            assertEquals(200, open(existing, moodle).statusCode());
            Map<String, String> before = platformColumns(existing.id());
            String again = AdminApi.admin().post("/api/v1/registrations/" + existing.id() + "/registration-url")
                    .then().statusCode(201).extract().path("registrationUrl");
            RegistrationSimulator otherMoodle = new RegistrationSimulator(other, Family.MOODLE);

            Response refused = open(URI.create(again).getPath(), otherMoodle.configurationUrl(),
                    otherMoodle.registrationToken);

            assertEquals(409, refused.statusCode(), refused.asString());
            refused.then().body(containsString("reregistration_other_issuer"));
            assertTrue(otherMoodle.calls().isEmpty(), "the tool did not register itself at the other platform");
            assertEquals(before, platformColumns(existing.id()));
            assertEquals(1, usedUrls(existing.id()), "only the first URL is spent");
            assertEquals(0, DbCounts.scalar(db, "select count(*) from registration where issuer = ?", other.issuer()));
            // the URL is still good for its own platform
            assertEquals(200, open(URI.create(again).getPath(), moodle.configurationUrl(), moodle.registrationToken)
                    .statusCode());
        }
    }

    @Test
    void platformEndpointsWithUserInformationAreRefused() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Userinfo endpoint " + UUID.randomUUID());
            String jwks = (String) moodle.configuration.get("jwks_uri");
            moodle.configuration.put("jwks_uri", platform.issuer() + "@" + "127.0.0.1:9/jwks");
            assertFailsAndStaysRetryable(pending, moodle, open(pending, moodle), 502, "platform_configuration_invalid",
                    "its jwks_uri carries user information", () -> moodle.configuration.put("jwks_uri", jwks));
        }
    }

    @Test
    void originsAreComparedAsParsedUrls() {
        assertEquals(PlatformConfigurationReader.origin(URI.create("HTTPS://Moodle.Example.EDU:443/mod/lti/x")),
                PlatformConfigurationReader.origin(URI.create("https://moodle.example.edu")));
        assertEquals(PlatformConfigurationReader.origin(URI.create("http://lms.example:80/a")),
                PlatformConfigurationReader.origin(URI.create("http://LMS.example/")));
        assertTrue(!PlatformConfigurationReader.origin(URI.create("https://lms.example:8443/"))
                .equals(PlatformConfigurationReader.origin(URI.create("https://lms.example/"))));
        assertTrue(!PlatformConfigurationReader.origin(URI.create("https://lms.example.attacker.example/"))
                .equals(PlatformConfigurationReader.origin(URI.create("https://lms.example"))));
    }

    /** A failure: the status, the message, nothing stored, and the same URL still works afterwards. */
    private void assertFailsAndStaysRetryable(Pending pending, RegistrationSimulator platform, Response page,
            int status, String code, String message, Runnable repair) {
        DbCounts before = DbCounts.of(db);
        assertEquals(status, page.statusCode(), page.asString());
        page.then().body(containsString(message)).body(containsString(code));
        assertNull(column(pending.id(), "issuer"));
        assertNull(column(pending.id(), "client_id"));
        assertEquals(before, DbCounts.of(db));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from registration_url where registration_id = ? "
                + "and used_at is not null", pending.id()));
        repair.run();
        Response retry = open(pending, platform);
        assertEquals(200, retry.statusCode(), retry.asString());
        assertEquals(platform.clientId, column(pending.id(), "client_id"));
    }

    @Test
    void unreachableConfigurationIs502AndRetryable() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Unreachable " + UUID.randomUUID());
            String closedPort;
            try (PlatformSimulator gone = new PlatformSimulator()) {
                closedPort = gone.issuer() + "/.well-known/openid-configuration";
            }
            Response page = open(pending.path(), closedPort, moodle.registrationToken);
            assertFailsAndStaysRetryable(pending, moodle, page, 502, "platform_unreachable", "cannot be reached", () -> {
            });
        }
    }

    @Test
    void configurationAnsweringAnErrorIs502() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Config 500 " + UUID.randomUUID());
            moodle.configurationStatus = 500;
            assertFailsAndStaysRetryable(pending, moodle, open(pending, moodle), 502,
                    "platform_configuration_unavailable", "answered HTTP 500", () -> moodle.configurationStatus = 200);
        }
    }

    @Test
    void badJsonIs502AndRetryable() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Bad JSON " + UUID.randomUUID());
            moodle.rawConfiguration = "<html>Moodle maintenance mode</html>";
            assertFailsAndStaysRetryable(pending, moodle, open(pending, moodle), 502, "platform_configuration_invalid",
                    "is not JSON", () -> moodle.rawConfiguration = null);
        }
    }

    @Test
    void oversizeConfigurationIsRefused() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Huge " + UUID.randomUUID());
            moodle.rawConfiguration = "{\"pad\":\"" + "x".repeat(300_000) + "\"}";
            assertFailsAndStaysRetryable(pending, moodle, open(pending, moodle), 502, "platform_answer_too_large",
                    "more than 262144 bytes", () -> moodle.rawConfiguration = null);
        }
    }

    @Test
    void issuerOfAnotherSiteIs400AndRetryable() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Issuer mismatch " + UUID.randomUUID());
            moodle.configuration.put("issuer", "https://moodle.other-university.example");
            assertFailsAndStaysRetryable(pending, moodle, open(pending, moodle), 400, "issuer_mismatch",
                    "names the issuer &#39;https://moodle.other-university.example&#39;",
                    () -> moodle.configuration.put("issuer", platform.issuer()));
        }
    }

    @Test
    void configurationWithoutEndpointsOrPrivateKeyJwtIsRefused() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("No endpoint " + UUID.randomUUID());
            Object registrationEndpoint = moodle.configuration.remove("registration_endpoint");
            Response page = open(pending, moodle);
            assertEquals(502, page.statusCode());
            page.then().body(containsString("it has no registration_endpoint"));
            moodle.configuration.put("registration_endpoint", registrationEndpoint);

            moodle.configuration.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
            assertFailsAndStaysRetryable(pending, moodle, open(pending, moodle), 502, "platform_configuration_invalid",
                    "lacks private_key_jwt", () -> moodle.configuration.put("token_endpoint_auth_methods_supported",
                            List.of("private_key_jwt")));
        }
    }

    @Test
    void registrationEndpointRefusalsAre502AndRetryable() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator canvas = new RegistrationSimulator(platform, Family.CANVAS);
            Pending pending = createPending("Refused " + UUID.randomUUID());
            canvas.registrationStatus = 422;
            Response refused = open(pending, canvas);
            assertEquals(502, refused.statusCode());
            refused.then().body(containsString("HTTP 422")).body(containsString("label must not be empty"));
            assertNull(column(pending.id(), "client_id"));

            canvas.registrationStatus = 503;
            assertFailsAndStaysRetryable(pending, canvas, open(pending, canvas), 502, "platform_registration_refused",
                    "HTTP 503", () -> canvas.registrationStatus = 200);
        }
    }

    @Test
    void expiredOrMissingRegistrationTokenAtThePlatformIs502() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Platform token " + UUID.randomUUID());
            Response page = open(pending.path(), moodle.configurationUrl(), "stale-token");
            assertFailsAndStaysRetryable(pending, moodle, page, 502, "platform_registration_refused",
                    "registration token may have expired", () -> {
                    });
        }
    }

    @Test
    void redirectToAnotherHostIsNotFollowed() {
        try (PlatformSimulator platform = new PlatformSimulator(); PlatformSimulator elsewhere = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            new RegistrationSimulator(elsewhere, Family.MOODLE);
            platform.route("/moved", exchange -> {
                exchange.getResponseHeaders().add("Location", elsewhere.issuer() + "/.well-known/openid-configuration");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            Pending pending = createPending("Redirect " + UUID.randomUUID());
            Response page = open(pending.path(), platform.issuer() + "/moved", moodle.registrationToken);
            assertFailsAndStaysRetryable(pending, moodle, page, 502, "platform_redirect_refused",
                    "redirected to another host", () -> {
                    });
        }
    }

    @Test
    void missingConfigurationParameterIs400() {
        Pending pending = createPending("No parameter " + UUID.randomUUID());
        Response page = open(pending.path(), null, null);
        assertEquals(400, page.statusCode());
        page.then().body(containsString("without the openid_configuration parameter"));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from registration_url where registration_id = ? "
                + "and used_at is not null", pending.id()));
    }

    @Test
    void unknownAndExpiredRegistrationUrlsAreRefusedWithoutCallingThePlatform() throws Exception {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Response unknown = open("/lti/register/not-a-token", moodle.configurationUrl(), moodle.registrationToken);
            assertEquals(404, unknown.statusCode());
            unknown.then().body(containsString("not one this tool issued"));

            Pending pending = createPending("Expired " + UUID.randomUUID());
            try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                    "update registration_url set expires_at = now() - interval '1 minute' where registration_id = ?")) {
                s.setObject(1, pending.id());
                assertEquals(1, s.executeUpdate());
            }
            Response expired = open(pending, moodle);
            assertEquals(410, expired.statusCode());
            expired.then().body(containsString("expired"));
            assertTrue(moodle.calls().isEmpty());
            assertNull(column(pending.id(), "issuer"));

            // the admin asks for a new URL for the same registration; it works
            String fresh = AdminApi.admin().post("/api/v1/registrations/" + pending.id() + "/registration-url")
                    .then().statusCode(201).extract().path("registrationUrl");
            assertEquals(200, open(URI.create(fresh).getPath(), moodle.configurationUrl(), moodle.registrationToken)
                    .statusCode());
            assertEquals(moodle.clientId, column(pending.id(), "client_id"));
        }
    }

    @Test
    void twoPlatformsRacingWithOneUrlRegisterOnce() throws Exception {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Race " + UUID.randomUUID());
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var first = pool.submit(() -> open(pending, moodle).statusCode());
                var second = pool.submit(() -> open(pending, moodle).statusCode());
                List<Integer> statuses = new java.util.ArrayList<>(List.of(first.get(), second.get()));
                java.util.Collections.sort(statuses);
                assertEquals(List.of(200, 410), statuses);
            } finally {
                pool.shutdown();
            }
            assertEquals(1, DbCounts.scalar(db, "select count(*) from registration where issuer = ?", platform.issuer()));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from deployment where registration_id = ?", pending.id()));
        }
    }

    @Test
    void jsonClientsGetTheReasonCode() {
        Response page = given().accept("application/json").get("/lti/register/nope");
        assertEquals(404, page.statusCode());
        assertEquals("unknown_registration_url", page.path("error"));
    }
}
