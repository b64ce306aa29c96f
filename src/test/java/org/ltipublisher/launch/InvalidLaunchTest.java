package org.ltipublisher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.LtiBrowser.PlatformForm;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The 1EdTech LTI Advantage certification suite's "known bad payloads" and every other way a launch can be
 * wrong: each is refused with a 4xx, a stable reason code and a message naming the problem, and
 * stores nothing — no account, no enrolment, no context or link, no consumed nonce.
 */
@QuarkusTest
class InvalidLaunchTest extends WithPostgres {

    static PlatformSimulator platform;
    static Registered registration;
    static Published resource;

    @Inject
    DataSource db;

    LtiBrowser browser;

    @BeforeAll
    static void setUp() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void tearDown() {
        platform.close();
    }

    @BeforeEach
    void registerOnce() {
        if (registration == null) {
            registration = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
            resource = AdminApi.publish("Negative", "auto", "prompt");
        }
        browser = new LtiBrowser().json();
    }

    private LaunchSpec valid() {
        return LaunchSpec.resourceLink(registration.issuer(), registration.clientId(), "dep-1", resource.launchUrl(),
                "bad-" + UUID.randomUUID());
    }

    /** Launches with a changed spec and asserts the refusal and that no table changed. */
    private Response refused(int status, String code, String messagePart, Consumer<LaunchSpec> change) {
        DbCounts before = DbCounts.of(db);
        Response response = browser.launch(platform, registration, resource.launchUrl(), valid().with(change));
        assertRefused(response, status, code, messagePart);
        assertEquals(before, DbCounts.of(db), "a refused launch stores nothing");
        return response;
    }

    private static void assertRefused(Response response, int status, String code, String messagePart) {
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals(code, response.path("error"), response.asString());
        String message = response.path("message");
        assertTrue(message.contains(messagePart), "message '" + message + "' should mention '" + messagePart + "'");
    }

    // --- JWS header and signature (Security Framework §5.1.3 steps 1–4) ----------------------------

    @Test
    void noKid() {
        refused(400, "missing_kid", "no kid", s -> s.omitKid = true);
    }

    @Test
    void unknownKid() {
        refused(401, "unknown_kid", "not-a-key", s -> s.kid = "not-a-key");
    }

    @Test
    void unknownKidRefetchesTheJwksOnlyOnceInTheInterval() {
        refused(401, "unknown_kid", "bogus-1", s -> s.kid = "bogus-1");
        int fetches = platform.jwksFetches();
        refused(401, "unknown_kid", "bogus-2", s -> s.kid = "bogus-2");
        assertEquals(fetches, platform.jwksFetches(), "a flood of unknown kids does not flood the platform");
    }

    @Test
    void signatureByAnotherKey() {
        refused(401, "bad_signature", "does not match", s -> s.signing = LaunchSpec.Signing.FOREIGN_KEY);
    }

    @Test
    void algNone() {
        refused(400, "unsupported_alg", "'none'", s -> s.signing = LaunchSpec.Signing.NONE);
    }

    @Test
    void algHs256WithThePublicKeyAsSecret() {
        refused(400, "unsupported_alg", "'HS256'", s -> s.signing = LaunchSpec.Signing.HS256);
    }

    @Test
    void notAJwtAtAll() {
        refused(400, "malformed_id_token", "not a JWT", s -> s.rawToken = "this-is-not-a-token");
    }

    // --- iss, aud, azp (steps 2, 5–7) -------------------------------------------------------------------

    @Test
    void issuerOfAnotherPlatform() {
        refused(400, "issuer_mismatch", "https://evil.example", s -> s.claim("iss", "https://evil.example"));
    }

    @Test
    void missingIssuer() {
        refused(400, "missing_iss", "iss", s -> s.without("iss"));
    }

    @Test
    void wrongAudience() {
        refused(400, "audience_mismatch", "someone-else", s -> s.claim("aud", "someone-else"));
    }

    @Test
    void missingAudience() {
        refused(400, "missing_aud", "aud", s -> s.without("aud"));
    }

    @Test
    void severalAudiencesWithoutAzp() {
        refused(400, "missing_azp", "azp", s -> s.claim("aud", List.of(registration.clientId(), "other-client")));
    }

    @Test
    void wrongAzp() {
        refused(400, "azp_mismatch", "other-client", s -> s.claim("aud", List.of(registration.clientId(), "other-client"))
                .claim("azp", "other-client"));
    }

    @Test
    void severalAudiencesWithOurAzpAreAccepted() {
        Response response = browser.launch(platform, registration, resource.launchUrl(),
                valid().claim("aud", List.of(registration.clientId(), "other-client")).claim("azp",
                        registration.clientId()));
        assertEquals(303, response.statusCode(), response.asString());
    }

    // --- times (step 8) ------------------------------------------------------------------------------

    @Test
    void expired() {
        long now = System.currentTimeMillis() / 1000;
        refused(400, "token_expired", "expired 10 minutes ago", s -> s.claim("iat", now - 900).claim("exp", now - 600));
    }

    @Test
    void issuedInTheFuture() {
        long now = System.currentTimeMillis() / 1000;
        refused(400, "token_issued_in_future", "in the future", s -> s.claim("iat", now + 600).claim("exp", now + 900));
    }

    @Test
    void issuedTooLongAgo() {
        long now = System.currentTimeMillis() / 1000;
        refused(400, "token_too_old", "20 minutes ago", s -> s.claim("iat", now - 1200).claim("exp", now + 300));
    }

    @Test
    void notYetValid() {
        long now = System.currentTimeMillis() / 1000;
        refused(400, "token_not_yet_valid", "from now (nbf)",
                s -> s.claim("nbf", now + 600));
    }

    @Test
    void notBeforeWithinTheLeewayIsAccepted() {
        long now = System.currentTimeMillis() / 1000;
        Response response = browser.launch(platform, registration, resource.launchUrl(), valid().claim("nbf", now + 20));
        assertEquals(303, response.statusCode(), "a platform clock 20 s ahead is tolerated: " + response.asString());
    }

    @Test
    void missingExp() {
        refused(400, "missing_exp", "exp", s -> s.without("exp"));
    }

    @Test
    void clockSkewWithinTheLeewayIsAccepted() {
        long now = System.currentTimeMillis() / 1000;
        Response response = browser.launch(platform, registration, resource.launchUrl(),
                valid().claim("iat", now + 20).claim("exp", now + 320));
        assertEquals(303, response.statusCode(), "a platform clock 20 s ahead is tolerated: " + response.asString());
    }

    // --- nonce (step 9) --------------------------------------------------------------------------------

    @Test
    void nonceOfAnotherLogin() {
        refused(400, "nonce_mismatch", "nonce", s -> {
            s.useRequestNonce = false;
            s.claim("nonce", "some-other-nonce");
        });
    }

    @Test
    void missingNonce() {
        refused(400, "missing_nonce", "nonce", s -> s.useRequestNonce = false);
    }

    @Test
    void replayedLaunchIsRefusedAndStoresNothingMore() {
        PlatformForm form = browser.loginAndAuthenticate(platform, registration, resource.launchUrl(), valid());
        Map<String, String> cookies = Map.copyOf(browser.cookies());
        assertEquals(303, browser.post(form).statusCode());
        DbCounts afterFirst = DbCounts.of(db);

        LtiBrowser replay = new LtiBrowser().json();
        replay.cookies().putAll(cookies);
        assertRefused(replay.post(form), 400, "nonce_used", "nonce already used");
        assertEquals(afterFirst, DbCounts.of(db));
    }

    // --- state and browser binding ---------------------------------------------------------------------

    @Test
    void tamperedState() {
        PlatformForm form = browser.loginAndAuthenticate(platform, registration, resource.launchUrl(), valid());
        DbCounts before = DbCounts.of(db);
        String state = form.fields().get("state");
        String tampered = state.substring(0, state.length() - 4) + (state.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertRefused(browser.post(form.with("state", tampered)), 400, "invalid_state", "not issued by this tool");
        assertEquals(before, DbCounts.of(db));
    }

    @Test
    void missingState() {
        PlatformForm form = browser.loginAndAuthenticate(platform, registration, resource.launchUrl(), valid());
        assertRefused(browser.post(form.with("state", null)), 400, "missing_state", "no state");
    }

    @Test
    void missingStateCookie() {
        PlatformForm form = browser.loginAndAuthenticate(platform, registration, resource.launchUrl(), valid());
        DbCounts before = DbCounts.of(db);
        browser.cookies().clear();
        assertRefused(browser.post(form), 400, "missing_state_cookie", "third-party cookies");
        assertEquals(before, DbCounts.of(db));
    }

    @Test
    void stateCookieOfAnotherLogin() {
        PlatformForm form = browser.loginAndAuthenticate(platform, registration, resource.launchUrl(), valid());
        String name = browser.cookies().keySet().iterator().next();
        browser.cookies().put(name, "someone-elses-login");
        assertRefused(browser.post(form), 400, "state_mismatch", "does not belong");
    }

    @Test
    void missingIdToken() {
        PlatformForm form = browser.loginAndAuthenticate(platform, registration, resource.launchUrl(), valid());
        assertRefused(browser.post(form.with("id_token", null)), 400, "missing_id_token", "no id_token");
    }

    @Test
    void platformAnsweredWithAnError() {
        PlatformForm form = browser.loginAndAuthenticate(platform, registration, resource.launchUrl(), valid());
        assertRefused(browser.post(form.with("id_token", null).with("error", "login_required")), 400, "platform_error",
                "login_required");
    }

    // --- LTI claims (step 10, Core §5.3) --------------------------------------------------------------

    @Test
    void wrongLtiVersion() {
        refused(400, "wrong_version", "'11.3'", s -> s.lti("version", "11.3"));
    }

    @Test
    void missingLtiVersion() {
        refused(400, "missing_version", "version", s -> s.withoutLti("version"));
    }

    @Test
    void notAnLtiMessageAtAll() {
        refused(400, "missing_version", "version", s -> {
            s.claims.keySet().removeIf(k -> k.startsWith(LaunchSpec.LTI));
            s.claim("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", null);
        });
    }

    @Test
    void missingMessageType() {
        refused(400, "missing_message_type", "message_type", s -> s.withoutLti("message_type"));
    }

    @Test
    void unknownMessageType() {
        refused(400, "unknown_message_type", "LtiSomethingElse", s -> s.lti("message_type", "LtiSomethingElse"));
    }

    @Test
    void deepLinkingRequestWithoutSettings() {
        refused(400, "missing_deep_linking_settings", "deep_linking_settings",
                s -> s.lti("message_type", "LtiDeepLinkingRequest"));
    }

    @Test
    void missingDeploymentId() {
        refused(400, "missing_deployment_id", "deployment_id", s -> s.withoutLti("deployment_id"));
    }

    @Test
    void unknownDeployment() {
        refused(400, "unknown_deployment", "unknown deployment 'dep-x' for platform '" + registration.issuer() + "'",
                s -> s.lti("deployment_id", "dep-x"));
    }

    @Test
    void deploymentOtherThanTheLoginAnnounced() {
        DbCounts before = DbCounts.of(db);
        String hint = "hint-" + UUID.randomUUID();
        platform.prepare(hint, valid());
        Response login = browser.login(Map.of("iss", registration.issuer(), "login_hint", hint, "target_link_uri",
                resource.launchUrl(), "client_id", registration.clientId(), "lti_deployment_id", "dep-2"));
        assertRefused(browser.post(browser.authenticate(login.header("Location"))), 400, "deployment_mismatch",
                "'dep-2'");
        assertEquals(before, DbCounts.of(db));
    }

    @Test
    void missingSub() {
        refused(400, "missing_sub", "sub", s -> s.without("sub"));
    }

    @Test
    void missingRoles() {
        refused(400, "missing_roles", "roles", s -> s.withoutLti("roles"));
    }

    @Test
    void rolesNotAnArray() {
        refused(400, "invalid_roles", "the roles claim must be an array of strings, got a string",
                s -> s.lti("roles", "Instructor"));
    }

    @Test
    void rolesWithANonString() {
        refused(400, "invalid_roles", "must be an array of strings, got an array containing a number",
                s -> s.lti("roles", List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", 7)));
    }

    @Test
    void missingResourceLink() {
        refused(400, "missing_resource_link", "resource_link", s -> s.withoutLti("resource_link"));
    }

    @Test
    void resourceLinkWithoutId() {
        refused(400, "missing_resource_link", "resource_link", s -> s.lti("resource_link", Map.of("title", "x")));
    }

    @Test
    void targetOtherThanTheLoginWasFor() {
        refused(400, "target_mismatch", "/lti/resources/other", s -> s.lti("target_link_uri",
                resource.launchUrl().replaceFirst("/lti/resources/.*", "/lti/resources/other")));
    }

    @Test
    void missingTarget() {
        refused(400, "missing_target_link_uri", "target_link_uri", s -> s.withoutLti("target_link_uri"));
    }

    @Test
    void claimOfTheWrongType() {
        refused(400, "invalid_claim", "wrong type", s -> s.claim("nonce", 42).with(x -> x.useRequestNonce = false));
    }

    // --- what the launch is for -------------------------------------------------------------------------

    @Test
    void unknownResource() {
        String target = resource.launchUrl().replaceFirst("/lti/resources/.*", "/lti/resources/" + UUID.randomUUID());
        DbCounts before = DbCounts.of(db);
        Response response = browser.launch(platform, registration, target, valid().lti("target_link_uri", target));
        assertRefused(response, 404, "unknown_resource", "no published resource");
        assertEquals(before, DbCounts.of(db));
    }

    @Test
    void disabledResource() {
        Published disabled = AdminApi.publish("Disabled", "auto", "auto");
        AdminApi.admin().post("/api/v1/resources/" + disabled.id() + "/disable").then().statusCode(200);
        DbCounts before = DbCounts.of(db);
        Response response = browser.launch(platform, registration, disabled.launchUrl(),
                valid().lti("target_link_uri", disabled.launchUrl()));
        assertRefused(response, 403, "resource_disabled", "'Disabled' is disabled");
        assertEquals(before, DbCounts.of(db));
    }

    @Test
    void existingOnlyWithoutEmail() {
        Published exam = AdminApi.publish("Email needed", "existing-only", "existing-only");
        DbCounts before = DbCounts.of(db);
        Response response = browser.launch(platform, registration, exam.launchUrl(),
                valid().lti("target_link_uri", exam.launchUrl()).without("email"));
        assertRefused(response, 403, "email_required", "e-mail");
        assertEquals(before, DbCounts.of(db), "not even the nonce is consumed");
    }

    // --- login initiation --------------------------------------------------------------------------------

    @Test
    void loginFromAnUnknownIssuer() {
        Response response = browser.login(Map.of("iss", "https://unknown.example", "login_hint", "x",
                "target_link_uri", resource.launchUrl()));
        assertRefused(response, 400, "unknown_issuer", "'https://unknown.example' is not registered");
    }

    @Test
    void loginWithAnUnknownClientId() {
        Response response = browser.login(Map.of("iss", registration.issuer(), "login_hint", "x",
                "target_link_uri", resource.launchUrl(), "client_id", "nope"));
        assertRefused(response, 400, "unknown_client", "'nope'");
    }

    @Test
    void loginForAForeignTarget() {
        Response response = browser.login(Map.of("iss", registration.issuer(), "login_hint", "x",
                "target_link_uri", "https://evil.example/steal", "client_id", registration.clientId()));
        assertRefused(response, 400, "foreign_target", "https://evil.example/steal");
    }

    @Test
    void loginWithoutLoginHint() {
        Response response = browser.login(Map.of("iss", registration.issuer(), "target_link_uri",
                resource.launchUrl(), "client_id", registration.clientId()));
        assertRefused(response, 400, "missing_login_hint", "login_hint");
    }

    // --- what a browser sees -----------------------------------------------------------------------------

    @Test
    void browsersGetAnHtmlPageNamingTheReason() {
        LtiBrowser html = new LtiBrowser();
        Response response = html.launch(platform, registration, resource.launchUrl(), valid().lti("version", "1.1"));
        assertEquals(400, response.statusCode());
        assertTrue(response.contentType().startsWith("text/html"), response.contentType());
        assertTrue(response.asString().contains("the LTI version is &#39;1.1&#39;")
                || response.asString().contains("the LTI version is '1.1'"), response.asString());
        assertTrue(response.asString().contains("wrong_version"));
    }
}
