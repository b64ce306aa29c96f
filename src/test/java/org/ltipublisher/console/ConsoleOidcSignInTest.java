package org.ltipublisher.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.IdentityProviderSimulator;
import org.ltipublisher.testing.IdentityProviderSimulator.User;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Console sign-in through the school's identity provider over real HTTP: the authorization-code flow with PKCE
 * against {@link IdentityProviderSimulator}, the admin claim, tampered state and stolen codes, and the bearer admin
 * API unchanged next to it.
 */
@QuarkusTest
@TestProfile(ConsoleOidcProfile.class)
class ConsoleOidcSignInTest extends WithPostgres {

    static final User ADMIN = new User("sub-ada", "ada", "ada@school.example", List.of("staff"), List.of("lti-admins"));
    static final User TEACHER = new User("sub-tom", "tom", "tom@school.example", List.of("lti-admins"),
            List.of("teacher"));

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    @Inject
    ConsoleAdminStore admins;

    IdentityProviderSimulator provider;

    @BeforeEach
    void emptyConsole() throws SQLException {
        ConsoleFixture.emptyConsole(db);
    }

    /** A browser's cookie jar and redirects, one hop at a time, so each step of the flow can be looked at. */
    final class Browser {
        final Map<String, String> cookies = new LinkedHashMap<>();
        final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String url) throws IOException, InterruptedException {
            URI uri = url.startsWith("http") ? URI.create(url) : URI.create(base.toString().replaceAll("/$", "") + url);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "text/html");
            if (uri.getPort() == base.getPort() && !cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (uri.getPort() == base.getPort()) {
                for (String header : response.headers().allValues("Set-Cookie")) {
                    String pair = header.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    String name = pair.substring(0, eq).trim();
                    String value = pair.substring(eq + 1).trim();
                    if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
                        cookies.remove(name);
                    } else {
                        cookies.put(name, value);
                    }
                }
            }
            return response;
        }

        /** GET /console/oidc/signin: the tool's redirect to the provider's authorization endpoint. */
        URI startSignIn() throws IOException, InterruptedException {
            HttpResponse<String> start = get("/console/oidc/signin");
            assertEquals(302, start.statusCode(), start.body());
            URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
            assertTrue(authorize.toString().startsWith(provider.issuer() + "/authorize?"), authorize.toString());
            return authorize;
        }

        /** The provider's consent: its redirect back to the tool with code and state. */
        URI consent(URI authorize) throws IOException, InterruptedException {
            HttpResponse<String> consent = get(authorize.toString());
            assertEquals(302, consent.statusCode(), consent.body());
            return URI.create(consent.headers().firstValue("Location").orElseThrow());
        }

        /** Follows the tool's redirects from the callback until it answers something else. */
        HttpResponse<String> finish(URI callback) throws IOException, InterruptedException {
            HttpResponse<String> response = get(callback.toString());
            for (int hops = 0; hops < 3 && response.statusCode() == 302
                    && response.headers().firstValue("Location").orElse("").contains("/console/oidc/signin"); hops++) {
                response = get(response.headers().firstValue("Location").orElseThrow());
            }
            return response;
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return params;
    }

    private long sessions() {
        return DbCounts.scalar(db, "select count(*) from console_session");
    }

    @Test
    void theSignInPageOffersTheIdentityProvider() {
        given().get("/console/signin").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("Sign in with School IdP"))
                .body(org.hamcrest.Matchers.containsString("href=\"/console/oidc/signin\""));
    }

    @Test
    void anAdministratorSignsInThroughTheCodeFlowWithPkceAndGetsAConsoleSession() throws Exception {
        provider.signIn(ADMIN);
        Browser browser = new Browser();
        URI authorize = browser.startSignIn();
        Map<String, String> request = query(authorize);
        assertEquals("code", request.get("response_type"));
        assertEquals("S256", request.get("code_challenge_method"));
        assertNotNull(request.get("nonce"), "a nonce binds the ID token to this sign-in");
        assertTrue(request.get("redirect_uri").endsWith("/console/oidc/signin"), request.get("redirect_uri"));

        HttpResponse<String> done = browser.finish(browser.consent(authorize));
        assertEquals(303, done.statusCode(), done.body());
        assertEquals("/console", URI.create(done.headers().firstValue("Location").orElseThrow()).getPath());
        String session = browser.cookies.get(ConsoleSessions.COOKIE);
        assertNotNull(session, "console session cookie: " + done.headers().map());
        assertFalse(browser.cookies.keySet().stream().anyMatch(name -> name.startsWith("q_session")),
                "quarkus-oidc's own session cookie is dropped: " + browser.cookies.keySet());

        HttpResponse<String> dashboard = browser.get("/console");
        assertEquals(200, dashboard.statusCode(), dashboard.body());
        assertTrue(dashboard.body().contains("<span>ada</span>"), dashboard.body());
        assertEquals(1, sessions());
        assertEquals("oidc", DbCounts.text(db, "select origin from console_admin where username = 'ada'"));
        assertEquals(provider.issuer(), DbCounts.text(db, "select oidc_issuer from console_admin where oidc_subject = ?",
                ADMIN.subject()));

        // a second sign-in of the same person reuses the row; sign-out ends the session as for local administrators
        Browser again = new Browser();
        assertEquals(303, again.finish(again.consent(again.startSignIn())).statusCode());
        assertEquals(1, DbCounts.scalar(db, "select count(*) from console_admin"));
        assertEquals(2, sessions());
    }

    @Test
    void aUserWithoutTheAdminRoleIsRefusedWithAReasonAndGetsNoSession() throws Exception {
        provider.signIn(TEACHER); // in the lti-admins *group*, but the configured claim is realm_access.roles
        Browser browser = new Browser();
        HttpResponse<String> refused = browser.finish(browser.consent(browser.startSignIn()));
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("not_console_admin"), refused.body());
        assertTrue(refused.body().contains("realm_access.roles") && refused.body().contains("tom"), refused.body());
        assertFalse(browser.cookies.containsKey(ConsoleSessions.COOKIE));
        assertFalse(browser.cookies.keySet().stream().anyMatch(name -> name.startsWith("q_session")),
                browser.cookies.keySet().toString());
        assertEquals(0, sessions());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from console_admin"));
        assertEquals(303, browser.get("/console").statusCode(), "no session: back to sign-in");
    }

    @Test
    void aTamperedStateIsRefused() throws Exception {
        provider.signIn(ADMIN);
        Browser browser = new Browser();
        URI callback = browser.consent(browser.startSignIn());
        String state = query(callback).get("state");
        URI tampered = URI.create(callback.toString().replace("state=" + java.net.URLEncoder.encode(state,
                java.nio.charset.StandardCharsets.UTF_8), "state=forged-" + state.substring(1)));
        int issuedBefore = provider.issuedTokens();
        // quarkus-oidc does not redeem a code whose state differs from its state cookie: it starts a new sign-in
        HttpResponse<String> refused = browser.finish(tampered);
        assertNotSignedIn(browser, refused);
        assertEquals(issuedBefore, provider.issuedTokens(), "the code was not redeemed");

        // the genuine callback in a browser that never started this sign-in (login CSRF) is refused as well
        Browser other = new Browser();
        HttpResponse<String> foreign = other.finish(callback);
        assertNotSignedIn(other, foreign);
        assertEquals(issuedBefore, provider.issuedTokens(), "the code was not redeemed");
        assertEquals(0, sessions());
    }

    private void assertNotSignedIn(Browser browser, HttpResponse<String> response) {
        String where = response.statusCode() + " " + response.headers().map();
        assertFalse(browser.cookies.containsKey(ConsoleSessions.COOKIE), where);
        assertTrue(response.statusCode() == 401 || (response.statusCode() == 302 && response.headers()
                .firstValue("Location").orElse("").startsWith(provider.issuer() + "/authorize?")), where);
        assertEquals(0, sessions());
    }

    @Test
    void aCodeIssuedForAnotherBrowsersPkceChallengeIsRefused() throws Exception {
        provider.signIn(ADMIN);
        Browser victim = new Browser();
        URI victimCallback = victim.consent(victim.startSignIn());
        Browser attacker = new Browser();
        URI attackerCallback = attacker.consent(attacker.startSignIn());
        // the attacker's own state and state cookie, but the victim's code: the verifier in the attacker's state
        // cookie does not match the challenge the victim's code was issued for (RFC 7636 §4.6)
        String stolenCode = query(victimCallback).get("code");
        URI swapped = URI.create(attackerCallback.toString().replaceFirst("code=[^&]+",
                "code=" + java.net.URLEncoder.encode(stolenCode, java.nio.charset.StandardCharsets.UTF_8)));
        int refusedBefore = provider.refusedTokenRequests();
        HttpResponse<String> refused = attacker.finish(swapped);
        assertEquals(401, refused.statusCode(), refused.statusCode() + " " + refused.headers().map());
        assertTrue(refused.body().contains("oidc_sign_in_failed"), "the tool's page with the reason: " + refused.body());
        assertEquals(refusedBefore + 1, provider.refusedTokenRequests(), "the provider refused the verifier");
        assertFalse(attacker.cookies.containsKey(ConsoleSessions.COOKIE));
        assertEquals(0, sessions());
    }

    @Test
    void theBearerAdminApiIsUnchangedNextToTheCodeFlow() throws Exception {
        given().redirects().follow(false).get("/api/v1/registrations").then().statusCode(401);
        given().redirects().follow(false).auth().oauth2("not-a-jwt").get("/api/v1/registrations").then()
                .statusCode(401);
        AdminApi.admin().get("/api/v1/registrations").then().statusCode(200);
        given().auth().oauth2(AdminApi.token("teacher")).get("/api/v1/registrations").then().statusCode(403);

        // a signed-in console browser's cookies are no credential for the API
        provider.signIn(ADMIN);
        Browser browser = new Browser();
        assertEquals(303, browser.finish(browser.consent(browser.startSignIn())).statusCode());
        given().redirects().follow(false).cookies(browser.cookies).get("/api/v1/registrations").then().statusCode(401);
    }

    @Test
    void concurrentFirstSignInsOfOnePersonRecordOneAdministrator() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ConsoleAdmin>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> admins.identityProviderAdmin(provider.issuer(), "sub-race", "racer"));
            }
            List<ConsoleAdmin> results = new ArrayList<>();
            for (Future<ConsoleAdmin> result : pool.invokeAll(calls)) {
                results.add(result.get());
            }
            assertEquals(1, results.stream().map(ConsoleAdmin::id).distinct().count(), results.toString());
            assertEquals(1, DbCounts.scalar(db, "select count(*) from console_admin where oidc_subject = 'sub-race'"));
        } finally {
            pool.shutdownNow();
        }
    }
}
