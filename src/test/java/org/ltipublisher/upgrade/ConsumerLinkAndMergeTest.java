package org.ltipublisher.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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

import org.junit.jupiter.api.Test;
import org.ltipublisher.legacy.Lti11Identity;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * For platforms that send neither Moodle's update proof nor the lti1p1 claim: the administrator links a 1.1
 * consumer to its 1.3 registration by a user-matching rule (a dry run lists the account pairs and changes
 * nothing; the real link merges them and later first launches carry over), and merges split accounts by hand
 * (everything kept, repeatable, safe when requested twice at once). Bad inputs change nothing.
 */
@QuarkusTest
class ConsumerLinkAndMergeTest extends WithPostgres {

    @Inject
    DataSource db;

    /** The platform and consumer of one test, with one published resource and its content credential. */
    record Setup(PlatformSimulator platform, ConsumerSimulator consumer, Registered reg, Published resource,
            ContentApi.Credential content) implements AutoCloseable {
        @Override
        public void close() {
            consumer.close();
            platform.close();
        }
    }

    static Setup setup() {
        PlatformSimulator platform = new PlatformSimulator();
        ConsumerSimulator consumer = ConsumerSimulator.create("auto-link-email", false);
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published resource = AdminApi.publish("Linked " + UUID.randomUUID(), "auto", "auto");
        return new Setup(platform, consumer, reg, resource, ContentApi.credential(resource.id()));
    }

    /** A 1.1 launch (e-mail userId@school.example): the launch token. */
    static String launch11(Setup s, String userId) {
        String url = s.consumer().launchUrl(s.resource().id());
        var response = s.consumer().post(url, s.consumer().sign(url, ConsumerSimulator.basicLaunch(userId, "rl-9")));
        assertEquals(303, response.statusCode(), response.body());
        return token(response.headers().firstValue("Location").orElseThrow());
    }

    /** A first-time or returning 1.3 launch with this sub and e-mail: the launch token. */
    static String launch13(Setup s, String sub, String email) {
        LaunchSpec spec = LaunchSpec.resourceLink(s.reg().issuer(), s.reg().clientId(), s.reg().deploymentId(),
                s.resource().launchUrl(), sub).claim("email", email);
        Response launch = new LtiBrowser().launch(s.platform(), s.reg(), s.resource().launchUrl(), spec);
        assertEquals(303, launch.statusCode(), launch.asString());
        return token(launch.header("Location"));
    }

    static String token(String location) {
        return URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
    }

    static void score(Setup s, String token) {
        ContentApi.as(s.content(), token).body(Map.of("scoreGiven", 5, "scoreMaximum", 10,
                "activityProgress", "Completed", "gradingProgress", "FullyGraded"))
                .post("/api/v1/scores").then().statusCode(202);
    }

    String legacyAccount(Setup s, String userId) {
        return DbCounts.text(db, "select account_id::text from platform_user where issuer = ? and subject = ?",
                Lti11Identity.issuer(s.consumer().id), userId);
    }

    String account13(Setup s, String sub) {
        return DbCounts.text(db, "select account_id::text from platform_user where issuer = ? and subject = ?",
                s.reg().issuer(), sub);
    }

    long count(String sql, Object... params) {
        return DbCounts.scalar(db, sql, params);
    }

    /** Everything the upgrade may change, for "nothing changed". */
    Map<String, Long> state() {
        Map<String, Long> state = new HashMap<>(DbCounts.of(db).rows());
        state.put("lti_consumer_link", count("select count(*) from lti_consumer_link"));
        state.put("account_merge", count("select count(*) from account_merge"));
        state.put("shared", count("select count(*) from resource_link where consumer_id is not null "
                + "and deployment_id is not null"));
        state.put("platform_user_accounts", count("select count(distinct account_id) from platform_user"));
        return state;
    }

    static Response link(UUID consumerId, Object body, boolean dryRun) {
        return AdminApi.admin().queryParam("dryRun", dryRun).body(body)
                .post("/api/v1/consumers/" + consumerId + "/link");
    }

    static Response merge(String target, Object body) {
        return AdminApi.admin().body(body).post("/api/v1/accounts/" + target + "/merge");
    }

    @Test
    void aDryRunListsTheSameIdPairsAndChangesNothingThenTheLinkMergesThemAndCarriesOverNewUsers() {
        try (Setup s = setup()) {
            String split11 = null;
            launch11(s, "u1");
            score(s, launch11(s, "u1"));
            launch11(s, "u2");
            split11 = legacyAccount(s, "u1");
            score(s, launch13(s, "u1", "someone@elsewhere.example"));
            launch13(s, "zz", "zz@elsewhere.example");
            String split13 = account13(s, "u1");
            assertNotEquals(split11, split13, "split before the link");
            long scores = count("select count(*) from score where account_id in (?::uuid, ?::uuid)", split11, split13);
            long enrolments = count("select count(*) from enrolment where account_id in (?::uuid, ?::uuid)", split11,
                    split13);
            Map<String, Object> body = Map.of("registrationId", s.reg().id().toString(), "deploymentId", "dep-1",
                    "userMatching", "same-id");

            Map<String, Long> before = state();
            Response dry = link(s.consumer().id, body, true);
            assertEquals(200, dry.statusCode(), dry.asString());
            assertTrue(dry.<Boolean>path("dryRun"));
            assertEquals(1, dry.<List<?>>path("pairs").size(), dry.asString());
            assertEquals(split11, dry.path("pairs[0].targetAccountId"));
            assertEquals(split13, dry.path("pairs[0].sourceAccountId"));
            assertEquals(0, dry.<List<?>>path("merged").size());
            assertEquals(before, state(), "a dry run changes nothing");

            Response real = link(s.consumer().id, body, false);
            assertEquals(200, real.statusCode(), real.asString());
            assertEquals(1, real.<List<?>>path("merged").size(), real.asString());
            assertEquals(split11, account13(s, "u1"), "the 1.3 user now has the 1.1 account");
            assertEquals(0, count("select count(*) from account where id = ?::uuid", split13));
            assertEquals(scores, count("select count(*) from score where account_id = ?::uuid", split11));
            assertEquals(enrolments, count("select count(*) from enrolment where account_id = ?::uuid", split11));
            assertEquals(2, count("select count(*) from platform_user where account_id = ?::uuid", split11));
            assertEquals("same-id", AdminApi.admin().get("/api/v1/consumers/" + s.consumer().id + "/link")
                    .then().statusCode(200).extract().path("userMatching"));

            // after the link, a 1.1 user's first 1.3 launch keeps their account
            long accounts = count("select count(*) from account");
            launch13(s, "u2", "u2@elsewhere.example");
            assertEquals(legacyAccount(s, "u2"), account13(s, "u2"));
            assertEquals(accounts, count("select count(*) from account"));
        }
    }

    @Test
    void theSameEmailRulePairsAccountsByAddress() {
        try (Setup s = setup()) {
            launch11(s, "e1");
            launch11(s, "e2");
            launch13(s, "other-1", "E1@school.example");
            Map<String, Object> body = Map.of("registrationId", s.reg().id().toString(), "userMatching", "same-email");

            Map<String, Long> before = state();
            Response dry = link(s.consumer().id, body, true);
            assertEquals(200, dry.statusCode(), dry.asString());
            assertEquals(1, dry.<List<?>>path("pairs").size(), dry.asString());
            assertEquals(legacyAccount(s, "e1"), dry.path("pairs[0].targetAccountId"));
            assertEquals(before, state());

            Response real = link(s.consumer().id, body, false);
            assertEquals(200, real.statusCode(), real.asString());
            assertEquals(legacyAccount(s, "e1"), account13(s, "other-1"));
            launch13(s, "other-2", "e2@school.example");
            assertEquals(legacyAccount(s, "e2"), account13(s, "other-2"), "carried over by e-mail");
        }
    }

    @Test
    void badLinkRequestsAreRefusedWithAReasonAndChangeNothing() {
        try (Setup s = setup(); PlatformSimulator other = new PlatformSimulator()) {
            launch11(s, "b1");
            launch13(s, "b1", "b1@elsewhere.example");
            String reg = s.reg().id().toString();
            Map<String, Long> before = state();

            expect(link(UUID.randomUUID(), Map.of("registrationId", reg, "userMatching", "same-id"), false), 404,
                    "unknown_consumer");
            expect(link(s.consumer().id, Map.of("userMatching", "same-id"), false), 422, "missing_field");
            expect(link(s.consumer().id, Map.of("registrationId", "not-a-uuid", "userMatching", "same-id"), false), 422,
                    "invalid_registration_id");
            expect(link(s.consumer().id, Map.of("registrationId", UUID.randomUUID().toString(),
                    "userMatching", "same-id"), true), 422, "unknown_registration");
            expect(link(s.consumer().id, Map.of("registrationId", reg, "userMatching", "fuzzy"), false), 422,
                    "invalid_user_matching");
            expect(link(s.consumer().id, Map.of("registrationId", reg, "deploymentId", "nope",
                    "userMatching", "same-id"), false), 422, "unknown_deployment");
            assertEquals(before, state());

            // linked once; another registration is refused until unlinked
            assertEquals(200, link(s.consumer().id, Map.of("registrationId", reg, "userMatching", "same-id"), false)
                    .statusCode());
            Registered elsewhere = AdminApi.register(other, "client-" + UUID.randomUUID(), "dep-1");
            Map<String, Long> linked = state();
            expect(link(s.consumer().id, Map.of("registrationId", elsewhere.id().toString(),
                    "userMatching", "same-id"), false), 409, "consumer_already_linked");
            assertEquals(linked, state());
            AdminApi.admin().delete("/api/v1/consumers/" + s.consumer().id + "/link").then().statusCode(204);
            expect(AdminApi.admin().get("/api/v1/consumers/" + s.consumer().id + "/link"), 404, "consumer_not_linked");
        }
    }

    @Test
    void aMergeKeepsScoresEnrolmentsAndIdentitiesAndCanBeRepeated() {
        try (Setup s = setup()) {
            score(s, launch11(s, "m1"));
            score(s, launch13(s, "m1-13", "m1-13@elsewhere.example"));
            String target = legacyAccount(s, "m1");
            String source = account13(s, "m1-13");
            long scores = count("select count(*) from score where account_id in (?::uuid, ?::uuid)", target, source);
            long enrolments = count("select count(*) from enrolment where account_id in (?::uuid, ?::uuid)", target,
                    source);
            long identities = count("select count(*) from platform_user where account_id in (?::uuid, ?::uuid)", target,
                    source);
            assertEquals(2, scores);
            assertEquals(2, identities);

            Response merged = merge(target, Map.of("source", source));
            assertEquals(200, merged.statusCode(), merged.asString());
            assertFalse(merged.<Boolean>path("alreadyMerged"));
            assertEquals(scores, count("select count(*) from score where account_id = ?::uuid", target));
            assertEquals(enrolments, count("select count(*) from enrolment where account_id = ?::uuid", target));
            assertEquals(identities, count("select count(*) from platform_user where account_id = ?::uuid", target));
            assertEquals(0, count("select count(*) from account where id = ?::uuid", source));
            assertEquals(target, account13(s, "m1-13"), "the 1.3 user's launches now reach the merged account");
            assertEquals(1, count("select count(*) from account_merge where source_account_id = ?::uuid", source));

            Map<String, Long> after = state();
            Response again = merge(target, Map.of("source", source));
            assertEquals(200, again.statusCode(), again.asString());
            assertTrue(again.<Boolean>path("alreadyMerged"));
            assertEquals(after, state(), "a repeated merge changes nothing");

            // bad requests: a clear reason, nothing changed
            expect(merge(target, Map.of("source", target)), 422, "merge_into_itself");
            expect(merge(UUID.randomUUID().toString(), Map.of("source", target)), 404, "unknown_account");
            expect(merge(target, Map.of("source", UUID.randomUUID().toString())), 404, "unknown_account");
            expect(merge("not-an-id", Map.of("source", target)), 404, "unknown_account");
            expect(merge(target, Map.of()), 422, "missing_field");
            expect(merge(target, Map.of("source", "nope")), 422, "invalid_account_id");
            Response intoMerged = merge(source, Map.of("source", target));
            expect(intoMerged, 404, "unknown_account");
            assertTrue(intoMerged.<String>path("message").contains("merged into " + target), intoMerged.asString());
            assertEquals(after, state());
        }
    }

    @Test
    void twoConcurrentRequestsForTheSameMergeMergeOnce() throws Exception {
        try (Setup s = setup()) {
            score(s, launch11(s, "c1"));
            score(s, launch13(s, "c1-13", "c1-13@elsewhere.example"));
            String target = legacyAccount(s, "c1");
            String source = account13(s, "c1-13");
            long scores = count("select count(*) from score where account_id in (?::uuid, ?::uuid)", target, source);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Response>> answers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Callable<Response> call = () -> {
                        start.await();
                        return merge(target, Map.of("source", source));
                    };
                    answers.add(pool.submit(call));
                }
                start.countDown();
                int done = 0;
                int repeated = 0;
                for (Future<Response> answer : answers) {
                    Response r = answer.get();
                    assertEquals(200, r.statusCode(), r.asString());
                    if (r.<Boolean>path("alreadyMerged")) {
                        repeated++;
                    } else {
                        done++;
                    }
                }
                assertEquals(1, done, "merged once");
                assertEquals(1, repeated, "the other request found it merged");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(scores, count("select count(*) from score where account_id = ?::uuid", target));
            assertEquals(1, count("select count(*) from account_merge where source_account_id = ?::uuid", source));
            assertNull(DbCounts.text(db, "select id::text from account where id = ?::uuid", source));
            assertNotNull(DbCounts.text(db, "select id::text from account where id = ?::uuid", target));
        }
    }

    static void expect(Response response, int status, String error) {
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals(error, response.path("error"), response.asString());
        assertNotNull(response.path("message"), response.asString());
    }
}
