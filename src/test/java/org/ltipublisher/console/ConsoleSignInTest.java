package org.ltipublisher.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The console's local sign-in over real HTTP: setup link, throttling, session timeouts, sign-out. */
@QuarkusTest
class ConsoleSignInTest extends WithPostgres {

    static final String PASSWORD = "correct horse battery";

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    @BeforeEach
    void emptyConsole() throws SQLException {
        ConsoleFixture.emptyConsole(db);
    }

    private static Response setUp(LtiBrowser browser, String path, String username, String password) {
        return browser.formRequest().formParam("username", username).formParam("password", password)
                .formParam("confirmation", password).post(path);
    }

    private static Response signIn(LtiBrowser browser, String username, String password) {
        return browser.formRequest().formParam("username", username).formParam("password", password)
                .post("/console/signin");
    }

    private static String sessionCookie(Response response) {
        String value = response.getCookie(ConsoleSessions.COOKIE);
        assertNotNull(value, "no console session cookie: " + response.getHeaders());
        return value;
    }

    private static Response page(String path, String session) {
        return given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).get(path);
    }

    private String firstAdmin(String username) {
        String path = ConsoleFixture.setupPathFromLog(setupLink);
        Response created = setUp(new LtiBrowser(), path, username, PASSWORD);
        assertEquals(303, created.statusCode(), created.asString());
        return sessionCookie(created);
    }

    @Test
    void theSetupLinkCreatesTheFirstAdministratorOnceAndSignsIn() {
        String path = ConsoleFixture.setupPathFromLog(setupLink);
        given().get(path).then().statusCode(200).body(containsString("Set up the first administrator"));

        Response created = setUp(new LtiBrowser(), path, "first-admin", PASSWORD);
        assertEquals(303, created.statusCode(), created.asString());
        String setCookie = created.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith(ConsoleSessions.COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("Secure") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax")
                && setCookie.contains("Path=/"), setCookie);
        page("/console", sessionCookie(created)).then().statusCode(200).body(containsString("Dashboard"))
                .body(containsString("first-admin"));

        // used once: a second use changes nothing
        Response again = setUp(new LtiBrowser(), path, "second-admin", PASSWORD);
        assertEquals(410, again.statusCode(), again.asString());
        assertThat(again.asString().contains("used or has expired"), again.asString());
        given().get(path).then().statusCode(410);
        assertEquals(1, DbCounts.scalar(db, "select count(*) from console_admin"));
        // and no new link is printed while an administrator exists
        assertEquals(0, lines(() -> setupLink.offer()));
    }

    @Test
    void anExpiredSetupLinkIsRefusedAndAStartAfterwardsPrintsANewOne() throws SQLException {
        String path = ConsoleFixture.setupPathFromLog(setupLink);
        ConsoleFixture.sql(db, "update console_setup_link set expires_at = now() - interval '1 second'");

        Response late = setUp(new LtiBrowser(), path, "late-admin", PASSWORD);
        assertEquals(410, late.statusCode(), late.asString());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from console_admin"));

        String fresh = ConsoleFixture.setupPathFromLog(setupLink);
        assertFalse(fresh.equals(path));
        assertEquals(303, setUp(new LtiBrowser(), fresh, "on-time-admin", PASSWORD).statusCode());
    }

    @Test
    void aShortPasswordOrAMismatchIsRefusedAndTheLinkStaysUsable() {
        String path = ConsoleFixture.setupPathFromLog(setupLink);
        Response shortOne = setUp(new LtiBrowser(), path, "admin", "too-short");
        assertEquals(400, shortOne.statusCode(), shortOne.asString());
        assertThat(shortOne.asString().contains("12"), shortOne.asString());
        Response mismatch = new LtiBrowser().formRequest().formParam("username", "admin")
                .formParam("password", PASSWORD).formParam("confirmation", PASSWORD + "!").post(path);
        assertEquals(400, mismatch.statusCode(), mismatch.asString());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from console_admin"));

        assertEquals(303, setUp(new LtiBrowser(), path, "admin", PASSWORD).statusCode());
    }

    @Test
    void wrongPasswordsAreThrottledEvenForTheRightOne() {
        firstAdmin("guarded-admin");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, signIn(new LtiBrowser(), "guarded-admin", "guess-number-" + i).statusCode());
        }
        Response right = signIn(new LtiBrowser(), "guarded-admin", PASSWORD);
        assertEquals(429, right.statusCode(), right.asString());
        assertNotNull(right.getHeader("Retry-After"));
        assertEquals(null, right.getCookie(ConsoleSessions.COOKIE));
    }

    @Test
    void theRightPasswordSignsIn() {
        firstAdmin("returning-admin");
        Response signedIn = signIn(new LtiBrowser(), "returning-admin", PASSWORD);
        assertEquals(303, signedIn.statusCode(), signedIn.asString());
        page("/console/keys", sessionCookie(signedIn)).then().statusCode(200).body(containsString("Rotate keys"));
    }

    @Test
    void anIdleSessionEnds() throws SQLException {
        String session = firstAdmin("idle-admin");
        page("/console", session).then().statusCode(200);
        // 31 minutes without a request (the idle timeout is 30 minutes)
        ConsoleFixture.sql(db, "update console_session set last_seen_at = now() - interval '31 minutes'");

        page("/console", session).then().statusCode(303).header("Location", containsString("/console/signin"));
    }

    @Test
    void aSessionEndsAfterItsAbsoluteLifetimeHoweverBusy() throws SQLException {
        String session = firstAdmin("busy-admin");
        ConsoleFixture.sql(db, "update console_session set expires_at = now() - interval '1 second'");

        page("/console", session).then().statusCode(303).header("Location", containsString("/console/signin"));
    }

    @Test
    void signOutEndsTheSessionOnTheServer() {
        String session = firstAdmin("leaving-admin");
        LtiBrowser browser = new LtiBrowser();
        Response out = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", browser.toolOrigin()).header("Cookie", LtiBrowser.CSRF_COOKIE + "="
                        + browser.csrfToken() + "; " + ConsoleSessions.COOKIE + "=" + session)
                .formParam(LtiBrowser.CSRF_FIELD, browser.csrfToken()).post("/console/signout");
        assertEquals(303, out.statusCode(), out.asString());

        // a copy of the cookie kept from before signs nobody in
        page("/console", session).then().statusCode(303).header("Location", containsString("/console/signin"));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from console_session"));
    }

    @Test
    void consolePagesWithoutASessionLeadToSignIn() {
        for (String path : new String[] { "/console", "/console/registrations", "/console/keys" }) {
            given().redirects().follow(false).get(path).then().statusCode(303)
                    .header("Location", containsString("/console/signin"));
            page(path, "forged-" + "x".repeat(36)).then().statusCode(303);
        }
        given().redirects().follow(false).get("/").then().statusCode(302)
                .header("Location", containsString("/console"));
        Response rotate = new LtiBrowser().formRequest().post("/console/keys/rotate");
        assertEquals(303, rotate.statusCode());
    }

    @Test
    void consolePagesMayNotBeFramed() {
        given().get("/console/signin").then().statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY");
    }

    @Test
    void devSignInExistsOnlyInDevMode() {
        Response dev = new LtiBrowser().formRequest().post("/console/dev-signin");
        assertEquals(404, dev.statusCode(), dev.asString());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from console_admin"));
        given().get("/console/signin").then().body(org.hamcrest.Matchers.not(containsString("dev-signin")));
    }

    @Test
    void withoutAnIdentityProviderTheOidcSignInDoesNotExist() {
        given().redirects().follow(false).accept("text/html").get("/console/oidc/signin").then().statusCode(404)
                .body(containsString("oidc_not_configured"));
        given().get("/console/signin").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString("oidc-signin")));
    }

    @Test
    void anIdentityProviderAdministratorHasNoPasswordToSignInWith() throws SQLException {
        firstAdmin("local-admin");
        // recorded from an identity provider under the same name as a local administrator: neither takes the other
        ConsoleFixture.sql(db, "insert into console_admin (id, username, origin, oidc_issuer, oidc_subject, created_at) "
                + "values (gen_random_uuid(), 'local-admin', 'oidc', 'https://idp.example', 'sub-1', now())");
        assertEquals(303, signIn(new LtiBrowser(), "local-admin", PASSWORD).statusCode());
        assertEquals(401, signIn(new LtiBrowser(), "local-admin", "").statusCode());
        assertEquals(2, DbCounts.scalar(db, "select count(*) from console_admin where username = 'local-admin'"));
    }

    @Test
    void theBearerAdminApiStillWorks() {
        AdminApi.admin().get("/api/v1/keys").then().statusCode(200);
        given().get("/api/v1/keys").then().statusCode(401);
    }

    private static void assertThat(boolean condition, String message) {
        assertTrue(condition, message);
    }

    private int lines(Runnable action) {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                seen.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ConsoleSetupLink.class.getName());
        logger.addHandler(capture);
        try {
            action.run();
        } finally {
            logger.removeHandler(capture);
        }
        return seen.size();
    }
}
