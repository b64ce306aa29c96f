package org.ltipublisher.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.legacy.Lti11Identity;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The console's accounts screen: search, an account's linked platform users, and unlinking one. */
@QuarkusTest
class ConsoleAccountsTest extends WithPostgres {

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    ConsoleFixture.SignedIn console;
    String session;
    LtiBrowser browser;

    @BeforeEach
    void signIn() throws SQLException {
        console = ConsoleFixture.firstAdmin(db, setupLink, "accounts-admin", "accounts admin password");
        browser = console.browser();
        session = console.session();
    }

    private Response post(String path) {
        return console.form().post(path);
    }

    private Response page(String path) {
        return console.page(path);
    }

    private Response search(String q) {
        return given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).queryParam("q", q)
                .get("/console/accounts");
    }

    private static UUID account(String username, String email, String givenName, String familyName) {
        return UUID.fromString(AdminApi.admin().body(Map.of("username", username, "email", email, "givenName", givenName,
                "familyName", familyName)).post("/api/v1/accounts").then().statusCode(201).extract().path("id"));
    }

    private static int rows(Response page) {
        return page.asString().split("href=\"/console/accounts/", -1).length - 1;
    }

    /** One LTI 1.1 launch of a new user; answers the account it was linked to. */
    private UUID launch11(ConsumerSimulator lms, Published res, String user) {
        String url = lms.launchUrl(res.id());
        HttpResponse<String> launch = lms.post(url, lms.sign(url, ConsumerSimulator.basicLaunch(user, "rl-acc")));
        assertEquals(303, launch.statusCode(), launch.body());
        return UUID.fromString(DbCounts.text(db, "select account_id::text from platform_user where issuer = ? "
                + "and subject = ?", Lti11Identity.issuer(lms.id), user));
    }

    private UUID platformUserId(String issuer, String subject) {
        return UUID.fromString(DbCounts.text(db, "select id::text from platform_user where issuer = ? and subject = ?",
                issuer, subject));
    }

    @Test
    void searchMatchesUsernameEmailAndNameAsPlainTextAndIsBounded() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        UUID ada = account("ada-" + tag, "countess-" + tag + "@example.edu", "Ada", "Lovelace" + tag);
        account("grace-" + tag, "admiral-" + tag + "@example.edu", "Grace", "Hopper" + tag);

        search("ADA-" + tag).then().statusCode(200).body(containsString("/console/accounts/" + ada))
                .body(not(containsString("grace-" + tag)));
        search("countess-" + tag).then().body(containsString("ada-" + tag))
                .body(not(containsString("grace-" + tag)));
        search("ada lovelace" + tag).then().body(containsString("ada-" + tag));
        search("Hopper" + tag).then().body(containsString("grace-" + tag))
                .body(not(containsString("ada-" + tag)));

        // the term is data: LIKE wildcards match themselves, SQL in it is text
        assertEquals(0, rows(search("%" + tag)), "as a wildcard '%' would find ada- and grace-" + tag);
        assertEquals(0, rows(search("ada_" + tag)), "as a wildcard '_' would find ada-" + tag);
        Response injection = search("' or 1=1 --");
        assertEquals(200, injection.statusCode());
        assertEquals(0, rows(injection));
        assertTrue(injection.asString().contains("No account matches"));

        // at most 50, and the page says there are more
        String many = "many-" + tag;
        for (int i = 0; i < 52; i++) {
            account(many + "-" + i, many + i + "@example.edu", "Many", "Accounts");
        }
        Response bounded = search(many);
        assertEquals(50, rows(bounded));
        assertTrue(bounded.asString().contains("narrow the search"), bounded.asString());
        AdminApi.admin().get("/api/v1/accounts?q=" + many).then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.is(50));
        AdminApi.admin().get("/api/v1/accounts?q=" + many + "&limit=5").then().body("size()", org.hamcrest.Matchers.is(5));

        Response tooLong = search("x".repeat(101));
        assertEquals(400, tooLong.statusCode(), tooLong.asString());
        assertTrue(tooLong.asString().contains("longer than 100"), tooLong.asString());
    }

    @Test
    void anAccountsPageShowsItsPlatformUsersAndUnlinkingMakesTheNextLaunchProvisionAgain() {
        try (ConsumerSimulator lms = ConsumerSimulator.create("anonymous", false);
                PlatformSimulator platform = new PlatformSimulator()) {
            Published res = AdminApi.publish("Problem for linked users", "auto", "auto");
            String user = "u-" + UUID.randomUUID();
            UUID first = launch11(lms, res, user);
            // and a platform user of an LTI 1.3 launch
            Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
            String sub = "sub-" + UUID.randomUUID();
            assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(), LaunchSpec.resourceLink(
                    reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(), sub)).statusCode());
            UUID account13 = UUID.fromString(DbCounts.text(db, "select account_id::text from platform_user "
                    + "where issuer = ? and subject = ?", reg.issuer(), sub));
            page("/console/accounts/" + account13).then().statusCode(200).body(containsString(sub))
                    .body(containsString("client ID " + reg.clientId())).body(containsString(reg.issuer()));

            String base = "/console/accounts/" + first;
            page(base).then().statusCode(200).body(containsString(user))
                    .body(containsString("LTI 1.1 consumer")).body(containsString("(key " + lms.key() + ")"));
            AdminApi.admin().get("/api/v1/accounts/" + first + "/platform-users").then().statusCode(200)
                    .body("size()", org.hamcrest.Matchers.is(1)).body("[0].subject", org.hamcrest.Matchers.is(user));

            long enrolments = DbCounts.scalar(db, "select count(*) from enrolment where account_id = ?", first);
            long accounts = DbCounts.scalar(db, "select count(*) from account");
            UUID link = platformUserId(Lti11Identity.issuer(lms.id), user);
            Response unlinked = post(base + "/platform-users/" + link + "/unlink");
            assertEquals(303, unlinked.statusCode(), unlinked.asString());
            assertTrue(unlinked.header("Location").endsWith(base), unlinked.header("Location"));
            assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where id = ?", link));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub),
                    "other links stay");
            assertEquals(accounts, DbCounts.scalar(db, "select count(*) from account"), "the account stays");
            assertEquals(enrolments, DbCounts.scalar(db, "select count(*) from enrolment where account_id = ?", first));
            page(base).then().body(not(containsString(user))).body(containsString("No platform user is linked"));

            // the platform user's next launch is a first launch again: anonymous provisioning makes a new account
            UUID second = launch11(lms, res, user);
            assertNotEquals(first, second);

            // the bearer-JWT API unlinks the same way; a second unlink says it is gone
            UUID link13 = platformUserId(reg.issuer(), sub);
            String api = "/api/v1/accounts/" + account13 + "/platform-users/" + link13;
            AdminApi.admin().delete(api).then().statusCode(204);
            AdminApi.admin().delete(api).then().statusCode(404).body(containsString("platform_user_not_linked"));
            AdminApi.admin().delete("/api/v1/accounts/" + UUID.randomUUID() + "/platform-users/" + link13).then()
                    .statusCode(404).body(containsString("unknown_account"));
            page("/console/accounts/" + account13).then().body(containsString("No platform user is linked"));
        }
    }

    @Test
    void aDoubleClickedUnlinkRemovesTheLinkOnceAndTheOtherClickIsToldItIsGone() throws Exception {
        try (ConsumerSimulator lms = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem for a double click", "auto", "auto");
            for (int round = 0; round < 3; round++) {
                String user = "dbl-" + UUID.randomUUID();
                UUID accountId = launch11(lms, res, user);
                String path = "/console/accounts/" + accountId + "/platform-users/"
                        + platformUserId(Lti11Identity.issuer(lms.id), user) + "/unlink";
                browser.csrfToken();
                CountDownLatch start = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    List<Future<Response>> clicks = new ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        clicks.add(pool.submit((Callable<Response>) () -> {
                            start.await();
                            return post(path);
                        }));
                    }
                    start.countDown();
                    List<Integer> statuses = new ArrayList<>();
                    String gone = null;
                    for (Future<Response> click : clicks) {
                        Response r = click.get();
                        statuses.add(r.statusCode());
                        if (r.statusCode() == 404) {
                            gone = r.asString();
                        }
                    }
                    statuses.sort(null);
                    assertEquals(List.of(303, 404), statuses);
                    assertTrue(gone.contains("unlinked already"), gone);
                } finally {
                    pool.shutdownNow();
                }
                assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", user));
                assertEquals(1, DbCounts.scalar(db, "select count(*) from account where id = ?", accountId));
                page("/console/accounts/" + accountId).then().statusCode(200);
            }
        }
    }

    @Test
    void unlinkWithoutTheTokenFromAnotherOriginOrWithBadIdsIsRefusedAndChangesNothing() {
        try (ConsumerSimulator lms = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem for forged unlinks", "auto", "auto");
            String user = "f-" + UUID.randomUUID();
            UUID accountId = launch11(lms, res, user);
            UUID link = platformUserId(Lti11Identity.issuer(lms.id), user);
            String path = "/console/accounts/" + accountId + "/platform-users/" + link + "/unlink";
            String cookies = LtiBrowser.CSRF_COOKIE + "=" + browser.csrfToken() + "; " + ConsoleSessions.COOKIE + "=" + session;

            Response noToken = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .header("Origin", browser.toolOrigin()).header("Cookie", cookies).formParam("x", "y").post(path);
            assertEquals(403, noToken.statusCode(), noToken.asString());
            Response foreign = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .header("Origin", "https://attacker.example").header("Cookie", cookies)
                    .formParam(LtiBrowser.CSRF_FIELD, browser.csrfToken()).post(path);
            assertEquals(403, foreign.statusCode(), foreign.asString());
            Response wrongAccount = post("/console/accounts/" + UUID.randomUUID() + "/platform-users/" + link + "/unlink");
            assertEquals(404, wrongAccount.statusCode(), wrongAccount.asString());
            Response otherAccountsLink = post("/console/accounts/" + AdminApi.createAccount("other-" + UUID.randomUUID(),
                    "other@example.edu", "other password") + "/platform-users/" + link + "/unlink");
            assertEquals(404, otherAccountsLink.statusCode(), otherAccountsLink.asString());
            assertEquals(404, post("/console/accounts/" + accountId + "/platform-users/not-a-uuid/unlink").statusCode());
            assertEquals(404, post("/console/accounts/not-a-uuid/platform-users/" + link + "/unlink").statusCode());
            assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where id = ? and account_id = ?",
                    link, accountId));

            page("/console/accounts/not-a-uuid").then().statusCode(404).body(containsString("accounts list"));
            page("/console/accounts/" + UUID.randomUUID()).then().statusCode(404);
        }
    }

    @Test
    void withoutASessionPagesAndTheUnlinkFormLeadToSignIn() {
        given().redirects().follow(false).get("/console/accounts?q=a").then().statusCode(303)
                .header("Location", containsString("/console/signin"));
        given().redirects().follow(false).get("/console/accounts/" + UUID.randomUUID()).then().statusCode(303)
                .header("Location", containsString("/console/signin"));
        browser.formRequest().post("/console/accounts/" + UUID.randomUUID() + "/platform-users/" + UUID.randomUUID()
                + "/unlink").then().statusCode(303).header("Location", containsString("/console/signin"));
    }
}
