package org.ltipublisher.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;

/** LTI 1.1 launches from a simulated consumer signing with scribejava: each auth mode, and every refusal. */
@QuarkusTest
class Lti11LaunchTest extends WithPostgres {

    @Inject
    DataSource db;

    private String accountOf(ConsumerSimulator consumer, String userId) {
        return DbCounts.text(db, "select account_id::text from platform_user where issuer = ? and subject = ?",
                Lti11Identity.issuer(consumer.id), userId);
    }

    private static void assertLaunched(HttpResponse<String> response, Published resource) {
        assertEquals(303, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.contains("/activity/" + resource.id() + "?launch_token="), location);
    }

    @Test
    void anonymousLaunchCreatesAnAccountWithoutPersonalDataEnrolsAndHandsOff() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem 1", "auto", "auto");
            String user = "u-" + UUID.randomUUID();
            String url = consumer.launchUrl(res.id());

            HttpResponse<String> launch = consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(user, "rl-a")));

            assertLaunched(launch, res);
            String accountId = accountOf(consumer, user);
            assertTrue(DbCounts.text(db, "select username from account where id = ?::uuid", accountId).startsWith("anon-"));
            assertNull(DbCounts.text(db, "select coalesce(given_name, family_name, full_name) from account "
                    + "where id = ?::uuid", accountId));
            assertTrue(DbCounts.text(db, "select email from account where id = ?::uuid", accountId)
                    .endsWith("@lti-publisher.invalid"));
            assertEquals("LEARNER", DbCounts.text(db, "select e.role_class from enrolment e join lti_context c on "
                    + "c.id = e.context_id where e.account_id = ?::uuid and c.consumer_id = ? and c.context_id = 'course-11'",
                    accountId, consumer.id));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from resource_link where consumer_id = ? "
                    + "and resource_link_id = 'rl-a' and deployment_id is null and resource_id = ?", consumer.id, res.id()));
            assertEquals("lms.school.example", DbCounts.text(db, "select instance_guid from lti_consumer where id = ?",
                    consumer.id), "the instance GUID is learnt from the first launch");
            // the content sees the launch through the same hand-off as a 1.3 launch
            String location = launch.headers().firstValue("Location").orElseThrow();
            String token = URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13),
                    StandardCharsets.UTF_8);
            io.restassured.RestAssured.given().auth().oauth2(token).get("/api/v1/launch-context").then().statusCode(200)
                    .body("platformUserId", org.hamcrest.Matchers.equalTo(user));

            // the same user again: same account, no second link
            assertLaunched(consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(user, "rl-a"))), res);
            assertEquals(accountId, accountOf(consumer, user));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", user));
        }
    }

    @Test
    void oauthParametersInTheAuthorizationHeaderAndAQueryStringAreSigned() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem 2", "auto", "auto");
            String url = consumer.launchUrl(res.id()) + "?course=cs101&unit=a%20b";
            List<String[]> fields = ConsumerSimulator.basicLaunch("h-" + UUID.randomUUID(), "rl-h");

            HttpResponse<String> launch = consumer.post(url, fields,
                    Map.of("Authorization", consumer.authorizationHeader(url, fields)));

            assertLaunched(launch, res);
        }
    }

    @Test
    void repeatedCustomParametersAreSignedAndAcceptedButRepeatedProtocolOrLtiParametersAreRefused() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem 3", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            List<String[]> fields = new ArrayList<>(ConsumerSimulator.basicLaunch("d-" + UUID.randomUUID(), "rl-d"));
            fields.add(new String[] { "custom_tag", "b" });
            fields.add(new String[] { "custom_tag", "a" });
            assertLaunched(consumer.post(url, consumer.sign(url, fields)), res);

            DbCounts before = DbCounts.of(db);
            List<String[]> twiceNonce = consumer.sign(url, ConsumerSimulator.basicLaunch("d2-" + UUID.randomUUID(), "rl-d"));
            twiceNonce.add(new String[] { "oauth_nonce", "another" });
            HttpResponse<String> refused = consumer.post(url, twiceNonce, Map.of("Accept", "application/json"));
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("duplicate_parameter"), refused.body());

            List<String[]> twiceLink = new ArrayList<>(ConsumerSimulator.basicLaunch("d3-" + UUID.randomUUID(), "rl-d"));
            twiceLink.add(new String[] { "resource_link_id", "rl-other" });
            HttpResponse<String> ambiguous = consumer.post(url, consumer.sign(url, twiceLink),
                    Map.of("Accept", "application/json"));
            assertEquals(400, ambiguous.statusCode(), ambiguous.body());
            assertTrue(ambiguous.body().contains("resource_link_id appears more than once"), ambiguous.body());
            assertEquals(before, DbCounts.of(db));
        }
    }

    @Test
    void refusedLaunchesSayWhyAndStoreNothing() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem 4", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            List<String[]> launch = ConsumerSimulator.basicLaunch("r-" + UUID.randomUUID(), "rl-r");
            Map<String, String> json = Map.of("Accept", "application/json");
            DbCounts before = DbCounts.of(db);

            // missing consumer key
            List<String[]> noKey = consumer.sign(url, launch).stream().filter(f -> !f[0].equals("oauth_consumer_key"))
                    .toList();
            HttpResponse<String> missing = consumer.post(url, noKey, json);
            assertEquals(400, missing.statusCode());
            assertTrue(missing.body().contains("A required parameter (oauth_consumer_key) was missing"), missing.body());

            // wrong secret
            consumer.useSecret("not-the-secret-the-tool-has");
            HttpResponse<String> wrongSecret = consumer.post(url, consumer.sign(url, launch));
            assertEquals(401, wrongSecret.statusCode());
            assertTrue(wrongSecret.body().contains("signature does not match: check the consumer secret"),
                    wrongSecret.body());
            ConsumerSimulator stranger = new ConsumerSimulator("unknown-" + UUID.randomUUID(), "whatever-secret-value");
            HttpResponse<String> unknown = consumer.post(url, stranger.sign(url, launch), json);
            stranger.close();
            assertEquals(401, unknown.statusCode());
            assertTrue(unknown.body().contains("unknown_consumer_key"), unknown.body());

            // the signature covers the URL: a launch signed for another resource does not verify here
            HttpResponse<String> otherUrl = consumer.post(url, consumer.sign(url + "x", launch), json);
            assertEquals(401, otherUrl.statusCode());

            assertEquals(before, DbCounts.of(db), "nothing stored on a refused launch");
        }
    }

    @Test
    void staleTimestampAndReplayedNonceAreRefused() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem 5", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            List<String[]> launch = ConsumerSimulator.basicLaunch("t-" + UUID.randomUUID(), "rl-t");
            DbCounts before = DbCounts.of(db);

            consumer.clockOffsetSeconds = -700;
            HttpResponse<String> stale = consumer.post(url, consumer.sign(url, launch));
            assertEquals(401, stale.statusCode());
            assertTrue(stale.body().matches("(?s).*timestamp is 70[0-2] s old.*"), stale.body());
            consumer.clockOffsetSeconds = 700;
            HttpResponse<String> future = consumer.post(url, consumer.sign(url, launch), Map.of("Accept", "application/json"));
            assertEquals(401, future.statusCode());
            assertTrue(future.body().contains("timestamp_in_future"), future.body());
            assertEquals(before, DbCounts.of(db));

            consumer.clockOffsetSeconds = 0;
            List<String[]> signed = consumer.sign(url, launch);
            assertLaunched(consumer.post(url, signed), res);
            DbCounts afterFirst = DbCounts.of(db);
            HttpResponse<String> replay = consumer.post(url, signed, Map.of("Accept", "application/json"));
            assertEquals(401, replay.statusCode());
            assertTrue(replay.body().contains("nonce_used"), replay.body());
            assertEquals(afterFirst, DbCounts.of(db));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from lti11_nonce where consumer_id = ?", consumer.id));
        }
    }

    @Test
    void invalidLtiParametersGoBackToTheReturnUrlOrShowAPage() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem 6", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            List<String[]> noLink = ConsumerSimulator.with(ConsumerSimulator.basicLaunch("p-" + UUID.randomUUID(), "x"),
                    "resource_link_id", null);
            DbCounts before = DbCounts.of(db);

            HttpResponse<String> page = consumer.post(url, consumer.sign(url, noLink));
            assertEquals(400, page.statusCode());
            assertTrue(page.body().contains("A required parameter (resource_link_id) was missing"), page.body());

            List<String[]> withReturn = ConsumerSimulator.with(noLink, "launch_presentation_return_url",
                    "https://lms.school.example/return?course=1");
            HttpResponse<String> back = consumer.post(url, consumer.sign(url, withReturn));
            assertEquals(303, back.statusCode());
            String location = back.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("https://lms.school.example/return?course=1&lti_errormsg="), location);
            assertTrue(URLDecoder.decode(location, StandardCharsets.UTF_8)
                    .contains("A required parameter (resource_link_id) was missing"), location);

            List<String[]> badVersion = ConsumerSimulator.with(ConsumerSimulator.basicLaunch("p2", "x"), "lti_version",
                    "LTI-2p0");
            HttpResponse<String> version = consumer.post(url, consumer.sign(url, badVersion));
            assertEquals(400, version.statusCode());
            assertTrue(version.body().contains("lti_version"), version.body());
            // LTI-1p2 is accepted as 1.0
            assertLaunched(consumer.post(url, consumer.sign(url, ConsumerSimulator.with(
                    ConsumerSimulator.basicLaunch("p3-" + UUID.randomUUID(), "x"), "lti_version", "LTI-1p2"))), res);
            assertEquals(before.rows().get("account") + 1, DbCounts.of(db).rows().get("account"));
        }
    }

    @Test
    void theInstanceGuidOfTheFirstLaunchIsEnforced() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem 7", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            assertLaunched(consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch("g-1", "rl-g"))), res);
            DbCounts before = DbCounts.of(db);

            HttpResponse<String> other = consumer.post(url, consumer.sign(url, ConsumerSimulator.with(
                    ConsumerSimulator.basicLaunch("g-2", "rl-g"), "tool_consumer_instance_guid", "other.lms.example")));

            assertEquals(403, other.statusCode());
            assertTrue(other.body().contains("each LMS needs its own consumer key"), other.body());
            assertEquals(before, DbCounts.of(db));
        }
    }

    @Test
    void lti11RoleFormsAreClassified() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Problem 8", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            Map<String, String> cases = Map.of(
                    "Instructor", "INSTRUCTOR",
                    "urn:lti:role:ims/lis/Instructor", "INSTRUCTOR",
                    "urn:lti:role:ims/lis/Instructor/TeachingAssistant", "INSTRUCTOR",
                    "urn:lti:instrole:ims/lis/Faculty", "INSTRUCTOR",
                    "urn:lti:role:ims/lis/Learner,urn:lti:instrole:ims/lis/Faculty", "LEARNER",
                    "urn:lti:role:ims/lis/Learner/NonCreditLearner", "LEARNER",
                    "Wizard", "LEARNER");
            cases.forEach((roles, expected) -> {
                String user = "role-" + UUID.randomUUID();
                assertLaunched(consumer.post(url, consumer.sign(url, ConsumerSimulator.with(
                        ConsumerSimulator.basicLaunch(user, "rl-roles"), "roles", roles))), res);
                assertEquals(expected, DbCounts.text(db, "select e.role_class from enrolment e join platform_user p on "
                        + "p.account_id = e.account_id where p.subject = ?", user), roles);
            });
        }
    }

    @Test
    void autoLinkEmailLinksTheAccountWithTheEmailOrCreatesOne() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("auto-link-email", false)) {
            Published res = AdminApi.publish("Problem 9", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            String known = "k-" + UUID.randomUUID();
            UUID existing = AdminApi.createAccount("local-" + known, (known + "@school.example").toUpperCase(),
                    "password-123");

            assertLaunched(consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(known, "rl-e"))), res);
            assertEquals(existing.toString(), accountOf(consumer, known));

            String fresh = "f-" + UUID.randomUUID();
            assertLaunched(consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(fresh, "rl-e"))), res);
            String created = accountOf(consumer, fresh);
            assertEquals(fresh + "@school.example", DbCounts.text(db, "select email from account where id = ?::uuid", created));
            assertEquals("Grace Hopper", DbCounts.text(db, "select full_name from account where id = ?::uuid", created));

            // without an e-mail the LTI user id alone keys the new account
            String noMail = "n-" + UUID.randomUUID();
            assertLaunched(consumer.post(url, consumer.sign(url, ConsumerSimulator.with(
                    ConsumerSimulator.basicLaunch(noMail, "rl-e"), "lis_person_contact_email_primary", null))), res);
            assertNull(DbCounts.text(db, "select email from account where id = ?::uuid", accountOf(consumer, noMail)));
        }
    }

    @Test
    void existingOnlyNeedsTheSignedInAccountWithTheLaunchEmail() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("existing-only", false)) {
            Published res = AdminApi.publish("Problem 10", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            String user = "x-" + UUID.randomUUID();
            String username = "owner-" + user;
            UUID owner = AdminApi.createAccount(username, user + "@school.example", "password-owner");
            DbCounts before = DbCounts.of(db);

            HttpResponse<String> noEmail = consumer.post(url, consumer.sign(url, ConsumerSimulator.with(
                    ConsumerSimulator.basicLaunch(user, "rl-x"), "lis_person_contact_email_primary", null)));
            assertEquals(403, noEmail.statusCode());
            assertTrue(noEmail.body().contains("lis_person_contact_email_primary"), noEmail.body());
            assertEquals(before, DbCounts.of(db), "a refusal after the checks still stores nothing, nonce included");

            HttpResponse<String> signInPage = consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(user, "rl-x")));
            assertEquals(200, signInPage.statusCode());
            assertTrue(signInPage.body().contains("Sign in to continue"), signInPage.body());
            assertTrue(!signInPage.body().contains("Create a new account"));
            assertNull(accountOf(consumer, user));

            LtiBrowser browser = new LtiBrowser();
            browser.post("/accounts/signin", Map.of("username", username, "password", "password-owner"))
                    .then().statusCode(200);
            HttpResponse<String> linked = consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(user, "rl-x")),
                    Map.of("Cookie", "lti_publisher_session=" + browser.cookies().get("lti_publisher_session")));
            assertLaunched(linked, res);
            assertEquals(owner.toString(), accountOf(consumer, user));
        }
    }

    @Test
    void requireUserAccountNeverCreatesAnAccount() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", true)) {
            Published res = AdminApi.publish("Problem 11", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            String user = "q-" + UUID.randomUUID();
            long accounts = DbCounts.of(db).rows().get("account");

            HttpResponse<String> page = consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(user, "rl-q")));

            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("Sign in to continue"), page.body());
            assertEquals(accounts, DbCounts.of(db).rows().get("account"));
        }
    }
}
