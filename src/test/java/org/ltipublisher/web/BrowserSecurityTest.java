package org.ltipublisher.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The browser-facing forms attacked as a hostile site would: cross-site posts into a signed-in victim's
 * browser, a pending launch carried to another browser, a replayed session cookie; and the headers that keep
 * pages out of foreign frames and launch tokens out of caches and Referers.
 */
@QuarkusTest
class BrowserSecurityTest extends WithPostgres {

    static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    static final String EVIL = "https://evil.example";
    private static final Pattern PENDING = Pattern.compile("name=\"pending\" value=\"([^\"]+)\"");

    static PlatformSimulator platform;

    @Inject
    DataSource db;

    @BeforeAll
    static void startPlatform() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    private static LaunchSpec spec(Registered reg, Published res, String sub) {
        return LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(), sub);
    }

    private static String pending(Response page) {
        Matcher m = PENDING.matcher(page.asString());
        assertTrue(m.find(), page.asString());
        return m.group(1);
    }

    private record Victim(String username, String password, UUID id, LtiBrowser browser) {
    }

    /** An account with a password, signed in in its own browser. */
    private static Victim signedInVictim() {
        String username = "victim-" + UUID.randomUUID();
        UUID id = AdminApi.createAccount(username, username + "@school.example", "victim-password-1");
        LtiBrowser browser = new LtiBrowser();
        Response signedIn = browser.post("/accounts/signin", Map.of("username", username, "password", "victim-password-1"));
        assertEquals(200, signedIn.statusCode(), signedIn.asString());
        assertNotNull(browser.cookies().get("lti_publisher_session"));
        return new Victim(username, "victim-password-1", id, browser);
    }

    /** A request carrying these browser cookies, as a form auto-posted by another site would. */
    private static RequestSpecification crossSite(Map<String, String> cookies) {
        RequestSpecification request = given().redirects().follow(false).contentType("application/x-www-form-urlencoded");
        cookies.forEach(request::cookie);
        return request;
    }

    @Test
    void accountChoiceFormPostedFromAnotherSiteIntoTheVictimsBrowserLinksNothing() {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("Takeover", "auto", "prompt");
        Victim victim = signedInVictim();
        String attackerSub = "attacker-" + UUID.randomUUID();
        LtiBrowser attacker = new LtiBrowser();
        Response page = attacker.launch(platform, reg, res.launchUrl(), spec(reg, res, attackerSub).roles(INSTRUCTOR)
                .claim("email", "attacker@evil.example").claim("name", "Mallory").claim("given_name", "Mallory"));
        assertEquals(200, page.statusCode(), page.asString());
        String pending = pending(page);
        DbCounts before = DbCounts.of(db);

        // the auto-posting page on the attacker's site: victim's cookies, foreign Origin, no token
        Response foreign = crossSite(victim.browser().cookies()).header("Origin", EVIL)
                .formParam("pending", pending).formParam("action", "current").post("/lti/account");
        assertEquals(403, foreign.statusCode(), foreign.asString());
        assertTrue(foreign.asString().contains("evil.example"), foreign.asString());

        // no Origin (an old browser), the attacker's own CSRF token, which is not the victim's browser's
        Response stolenToken = crossSite(victim.browser().cookies()).formParam("pending", pending)
                .formParam("action", "current").formParam("csrf-token", attacker.csrfToken()).post("/lti/account");
        assertEquals(403, stolenToken.statusCode(), stolenToken.asString());

        // even with the victim's own token and password, the pending launch belongs to the attacker's browser
        Response otherBrowser = victim.browser().post("/lti/account", Map.of("pending", pending, "action", "current",
                "password", victim.password()));
        assertEquals(403, otherBrowser.statusCode(), otherBrowser.asString());
        assertTrue(otherBrowser.asString().contains("started in another browser"), otherBrowser.asString());

        assertEquals(before, DbCounts.of(db));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", attackerSub));
        assertEquals(victim.username() + "@school.example",
                DbCounts.text(db, "select email from account where id = ?", victim.id()));
        assertEquals("Local", DbCounts.text(db, "select given_name from account where id = ?", victim.id()));
    }

    @Test
    void crossSiteSignInIsRefusedAndSetsNoSession() {
        String username = "csrf-signin-" + UUID.randomUUID();
        AdminApi.createAccount(username, username + "@school.example", "attacker-knows-1");

        Response foreign = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", EVIL).formParam("username", username).formParam("password", "attacker-knows-1")
                .post("/accounts/signin");
        assertEquals(403, foreign.statusCode(), foreign.asString());
        assertTrue(foreign.getHeaders().getValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("lti_publisher_session=")));

        // Referer is the fallback when a browser sends no Origin
        LtiBrowser browser = new LtiBrowser();
        Response referer = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("lti_publisher_csrf", browser.csrfToken()).header("Referer", EVIL + "/page")
                .formParam("csrf-token", browser.csrfToken()).formParam("username", username)
                .formParam("password", "attacker-knows-1").post("/accounts/signin");
        assertEquals(403, referer.statusCode(), referer.asString());

        // no token at all (a non-browser client sends no Origin either)
        Response noToken = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", username).formParam("password", "attacker-knows-1").post("/accounts/signin");
        assertEquals(403, noToken.statusCode(), noToken.asString());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from tool_session s join account a on a.id = s.account_id "
                + "where a.username = ?", username));

        // the tool's own page in the same browser signs in
        assertEquals(200, browser.post("/accounts/signin", Map.of("username", username, "password", "attacker-knows-1"))
                .statusCode());
    }

    @Test
    void linkingTheSignedInAccountAsksForItsPasswordAgain() {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("Reauth", "auto", "prompt");
        Victim teacher = signedInVictim();
        String sub = "teacher-" + UUID.randomUUID();
        LtiBrowser browser = teacher.browser();
        Response page = browser.launch(platform, reg, res.launchUrl(), spec(reg, res, sub).roles(INSTRUCTOR));
        assertEquals(200, page.statusCode(), page.asString());
        assertTrue(page.asString().contains("Continue as"), page.asString());

        Response missing = browser.post("/lti/account", Map.of("pending", pending(page), "action", "current"));
        assertEquals(401, missing.statusCode(), missing.asString());
        Response wrong = browser.post("/lti/account", Map.of("pending", pending(missing), "action", "current",
                "password", "not-the-password"));
        assertEquals(401, wrong.statusCode(), wrong.asString());
        assertTrue(wrong.asString().contains("Wrong password"), wrong.asString());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub));

        Response linked = browser.post("/lti/account", Map.of("pending", pending(wrong), "action", "current",
                "password", teacher.password()));
        assertEquals(303, linked.statusCode(), linked.asString());
        assertEquals(teacher.id().toString(),
                DbCounts.text(db, "select account_id::text from platform_user where subject = ?", sub));
    }

    @Test
    void launchesNeverRewriteTheProfileOfAnAccountTheyWereOnlyLinkedTo() {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1", "ADD");
        Published res = AdminApi.publish("Profile", "auto", "prompt");
        Victim teacher = signedInVictim();
        String sub = "linked-" + UUID.randomUUID();
        LtiBrowser browser = teacher.browser();
        Response page = browser.launch(platform, reg, res.launchUrl(), spec(reg, res, sub).roles(INSTRUCTOR));
        assertEquals(303, browser.post("/lti/account", Map.of("pending", pending(page), "action", "signin",
                "username", teacher.username(), "password", teacher.password())).statusCode());

        // returning-user path (one statement): known deployment
        LaunchSpec renamed = spec(reg, res, sub).roles(INSTRUCTOR).claim("email", "rewritten@evil.example")
                .claim("name", "Someone Else").claim("given_name", "Someone").claim("family_name", "Else");
        assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(), renamed).statusCode());
        // first-launch path (findLinked): a deployment the registration adds on this launch
        LaunchSpec newDeployment = spec(reg, res, sub).roles(INSTRUCTOR).lti("deployment_id", "dep-" + UUID.randomUUID())
                .claim("email", "rewritten-again@evil.example").claim("given_name", "Other");
        assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(), newDeployment).statusCode());

        assertEquals(teacher.username() + "@school.example",
                DbCounts.text(db, "select email from account where id = ?", teacher.id()));
        assertEquals("Local", DbCounts.text(db, "select given_name from account where id = ?", teacher.id()));
        assertEquals("User", DbCounts.text(db, "select family_name from account where id = ?", teacher.id()));

        // an account a launch created still follows the platform
        String learner = "learner-" + UUID.randomUUID();
        Published auto = AdminApi.publish("Auto profile", "auto", "auto");
        assertEquals(303, new LtiBrowser().launch(platform, reg, auto.launchUrl(), spec(reg, auto, learner)).statusCode());
        assertEquals(303, new LtiBrowser().launch(platform, reg, auto.launchUrl(),
                spec(reg, auto, learner).claim("email", "new-address@example.edu")).statusCode());
        assertEquals("new-address@example.edu", DbCounts.text(db, "select a.email from account a join platform_user p "
                + "on p.account_id = a.id where p.subject = ?", learner));
    }

    @Test
    void signOutEndsTheSessionSoACopiedCookieNoLongerSignsIn() {
        Victim user = signedInVictim();
        String copied = user.browser().cookies().get("lti_publisher_session");
        assertTrue(given().cookie("lti_publisher_session", copied).get("/accounts/signin").asString().contains("Signed in"));

        Response out = user.browser().post("/accounts/signout", Map.of());
        assertEquals(200, out.statusCode(), out.asString());

        Response replay = given().cookie("lti_publisher_session", copied).get("/accounts/signin");
        assertEquals(200, replay.statusCode());
        assertFalse(replay.asString().contains("Signed in"), replay.asString());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from tool_session where account_id = ?", user.id()));
    }

    @Test
    void pagesCarryTheSecurityHeaders() {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("Headers", "auto", "auto");
        URI issuer = URI.create(platform.issuer());
        String platformOrigin = issuer.getScheme() + "://" + issuer.getHost() + (issuer.getPort() == -1 ? "" : ":" + issuer.getPort());

        Response page = given().get("/accounts/signin");
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertEquals("strict-origin-when-cross-origin", page.header("Referrer-Policy"));
        String csp = page.header("Content-Security-Policy");
        assertNotNull(csp);
        assertTrue(csp.contains("frame-ancestors 'self'") && csp.contains(platformOrigin), csp);
        assertTrue(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"), csp);
        assertEquals("nosniff", given().get("/.well-known/jwks.json").header("X-Content-Type-Options"));
        assertEquals("nosniff", given().get("/lti-storage.js").header("X-Content-Type-Options"));
        // a platform not registered yet shows the dynamic registration page in its frame
        String registration = given().accept("text/html").get("/lti/register/" + UUID.randomUUID())
                .header("Content-Security-Policy");
        assertTrue(registration != null && registration.contains("frame-ancestors *"), registration);

        LtiBrowser browser = new LtiBrowser();
        Response launch = browser.launch(platform, reg, res.launchUrl(), spec(reg, res, "learner-" + UUID.randomUUID()));
        assertEquals(303, launch.statusCode(), launch.asString());
        assertTrue(launch.header("Location").contains("launch_token="), launch.header("Location"));
        assertEquals("no-store", launch.header("Cache-Control"));
        assertEquals("no-referrer", launch.header("Referrer-Policy"));

        Response activity = browser.get(launch.header("Location"));
        assertEquals(200, activity.statusCode(), activity.asString());
        assertEquals("no-store", activity.header("Cache-Control"));
        assertEquals("no-referrer", activity.header("Referrer-Policy"));
        assertEquals("nosniff", activity.header("X-Content-Type-Options"));
    }
}
