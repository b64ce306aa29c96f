package org.ltipublisher.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.retention.PurgeJob.PurgeReport;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.LtiBrowser.PlatformForm;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The purge job on a real PostgreSQL: rows past each retention go and younger ones stay (old rows are written
 * with SQL), a replayed launch whose nonce was purged is still refused, one run at a time across callers, a dead
 * holder's lease is taken over, and the batch loop ends on a large table.
 */
@QuarkusTest
@TestProfile(PurgeJobTest.ShortIdTokenLife.class)
class PurgeJobTest extends WithPostgres {

    /**
     * id_tokens live seconds (enough for a launch on a loaded machine), so a test can wait until a launch's token
     * is refused as expired; the scheduled tick waits an hour, so only the test's own calls purge.
     */
    public static class ShortIdTokenLife implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lti.launch.max-id-token-age", "15s", "lti.launch.clock-skew", "1s",
                    "lti.retention.every", "1h");
        }
    }

    static PlatformSimulator platform;

    @Inject
    PurgeJob job;

    @Inject
    DataSource db;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void startPlatform() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    /** Each test's run may claim: the previous run keeps the lease for the interval (once per interval). */
    @BeforeEach
    void freeLease() {
        exec("delete from job_lease");
    }

    @Test
    void rowsPastEachRetentionAreDeletedAndYoungerOnesKept() {
        UUID registration = UUID.randomUUID();
        UUID deployment = UUID.randomUUID();
        UUID resource = UUID.randomUUID();
        UUID link = UUID.randomUUID();
        UUID learnerA = UUID.randomUUID();
        UUID learnerB = UUID.randomUUID();
        UUID consumer = UUID.randomUUID();
        UUID admin = UUID.randomUUID();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        exec("insert into registration (id, name, created_at, updated_at) values (?, 'purge', now(), now())", registration);
        exec("insert into deployment (id, registration_id, deployment_id, created_at) values (?, ?, 'd', now())",
                deployment, registration);
        exec("""
                insert into published_resource (id, title, kind, student_provisioning, teacher_provisioning, created_at,
                    updated_at) values (?, 'purge', 'ACTIVITY', 'AUTO', 'AUTO', now(), now())
                """, resource);
        exec("insert into resource_link (id, deployment_id, resource_link_id, resource_id, updated_at) "
                + "values (?, ?, 'rl', ?, now())", link, deployment, resource);
        exec("insert into account (id, username, created_at) values (?, ?, now()), (?, ?, now())",
                learnerA, "purge-a-" + tag, learnerB, "purge-b-" + tag);

        // learner A: two old rows with a newer sent row (go), the newest sent row (stays however old),
        // an old failed and an old retrying row (never purged)
        UUID aOldest = score(learnerA, resource, link, "SENT", 200, 0);
        UUID aSuperseded = score(learnerA, resource, link, "SUPERSEDED", 150, 0);
        UUID aNewestSent = score(learnerA, resource, link, "SENT", 140, 0);
        UUID aFailed = score(learnerA, resource, link, "FAILED", 120, 5);
        UUID aRetrying = score(learnerA, resource, link, "PENDING", 110, 3);
        // learner B: an old sent row replaced by a recent one (goes), the recent one (young: stays)
        UUID bOld = score(learnerB, resource, link, "SENT", 100, 0);
        UUID bRecent = score(learnerB, resource, link, "SENT", 10, 0);

        // sync runs: 5 recent and 22 older than 30 days of one kind (the newest 20 stay, so 7 old ones go);
        // 3 old runs of the other kind (fewer than 20: all stay)
        List<UUID> grades = new ArrayList<>();
        for (int day : new int[] {1, 2, 3, 4, 5}) {
            grades.add(syncRun(resource, "GRADES", day));
        }
        for (int day = 35; day <= 56; day++) {
            grades.add(syncRun(resource, "GRADES", day));
        }
        List<UUID> members = List.of(syncRun(resource, "MEMBERS", 100), syncRun(resource, "MEMBERS", 101),
                syncRun(resource, "MEMBERS", 102));

        // registration URLs: expired 10 days ago and used 8 days ago go; expired yesterday (7-day grace) and
        // unused stay
        UUID urlExpiredLongAgo = registrationUrl(registration, "now() - interval '10 days'", null);
        UUID urlUsedLongAgo = registrationUrl(registration, "now() + interval '1 hour'", "now() - interval '8 days'");
        UUID urlExpiredYesterday = registrationUrl(registration, "now() - interval '1 day'", null);
        UUID urlUnused = registrationUrl(registration, "now() + interval '1 hour'", null);

        exec("insert into lti_nonce (value, expires_at) values (?, now() - interval '1 second'), "
                + "(?, now() + interval '1 hour')", "spent-" + tag, "live-" + tag);
        exec("insert into lti_consumer (id, name, consumer_key, secret_jwe, created_at, updated_at) "
                + "values (?, 'purge', ?, 'x', now(), now())", consumer, "purge-" + tag);
        exec("insert into lti11_nonce (consumer_id, nonce, expires_at) values (?, 'spent', now() - interval '1 second'), "
                + "(?, 'live', now() + interval '5 minutes')", consumer, consumer);
        exec("insert into tool_session (id_sha256, account_id, created_at, expires_at) values "
                + "(?, ?, now() - interval '9 hours', now() - interval '1 hour'), (?, ?, now(), now() + interval '8 hours')",
                "expired-" + tag, learnerA, "live-" + tag, learnerA);
        exec("insert into console_admin (id, username, password_hash, created_at) values (?, ?, 'x', now())",
                admin, "purge-" + tag);
        try {
            exec("""
                    insert into console_session (id_sha256, admin_id, created_at, last_seen_at, expires_at) values
                    (?, ?, now() - interval '9 hours', now() - interval '1 minute', now() - interval '1 hour'),
                    (?, ?, now() - interval '1 hour', now() - interval '31 minutes', now() + interval '7 hours'),
                    (?, ?, now() - interval '1 hour', now() - interval '1 minute', now() + interval '7 hours')
                    """, "expired-" + tag, admin, "idle-" + tag, admin, "live-" + tag, admin);
            exec("insert into sign_in_failure (throttle_key, failures, window_started_at) values "
                    + "(?, 3, now() - interval '16 minutes'), (?, 3, now() - interval '5 minutes')",
                    "user:old-" + tag, "user:live-" + tag);
            exec("""
                    insert into console_setup_link (id, token_sha256, created_at, expires_at)
                    values (1, ?, now() - interval '9 days', now() - interval '8 days')
                    on conflict (id) do update set token_sha256 = excluded.token_sha256,
                        created_at = excluded.created_at, expires_at = excluded.expires_at, used_at = null
                    """, "setup-" + tag);
            // hourly launch counts: one 31 days old (goes) and one of the last hour (stays); the reason tags them
            exec("insert into launch_count (hour, outcome, reason, count) values "
                    + "(date_trunc('hour', now() - interval '31 days'), 'refused', ?, 3), "
                    + "(date_trunc('hour', now() - interval '1 hour'), 'refused', ?, 2)", "old-" + tag, "live-" + tag);
            double purgedScoresBefore = purgedCounter("score");

            PurgeReport report = job.run().orElseThrow();

            assertFalse(report.leaseLost());
            assertEquals(List.of(aNewestSent, aFailed, aRetrying, bRecent),
                    present("score", List.of(aOldest, aSuperseded, aNewestSent, aFailed, aRetrying, bOld, bRecent)),
                    "old sent/superseded rows go; the newest sent one per learner and link, failed, retrying and "
                            + "young rows stay");
            assertEquals(grades.subList(0, 20), present("sync_run", grades),
                    "the 5 recent runs and the newest 15 old ones: 20 of this resource and kind");
            assertEquals(members, present("sync_run", members), "fewer than 20 runs of a kind: all stay");
            assertEquals(List.of(urlExpiredYesterday, urlUnused), present("registration_url",
                    List.of(urlExpiredLongAgo, urlUsedLongAgo, urlExpiredYesterday, urlUnused)));
            assertEquals("live-" + tag, text("select string_agg(value, ',') from lti_nonce where value like ?",
                    "%-" + tag));
            assertEquals("live", text("select string_agg(nonce, ',') from lti11_nonce where consumer_id = ?", consumer));
            assertEquals("live-" + tag, text("select string_agg(id_sha256, ',') from tool_session where account_id = ?",
                    learnerA));
            assertEquals("live-" + tag, text("select string_agg(id_sha256, ',') from console_session where admin_id = ?",
                    admin));
            assertEquals("user:live-" + tag, text("select string_agg(throttle_key, ',') from sign_in_failure "
                    + "where throttle_key like ?", "user:%-" + tag));
            assertEquals(0, count("select count(*) from console_setup_link"));
            assertEquals("live-" + tag, text("select string_agg(reason, ',') from launch_count where reason like ?",
                    "%-" + tag));
            assertTrue(report.purged().get("score") >= 3, report.toString());
            assertTrue(purgedCounter("score") - purgedScoresBefore >= 3, "lti.retention.purged{table=score} counts");
        } finally {
            exec("delete from console_admin where id = ?", admin);
        }
    }

    @Test
    void aReplayedLaunchWhoseNonceWasPurgedIsStillRefusedAsExpired() throws Exception {
        Registered registration = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published resource = AdminApi.publish("Purge replay", "auto", "prompt");
        // a first launch fetches the platform's keys, so the short-lived token below is not spent waiting on it
        assertEquals(303, new LtiBrowser().json().launch(platform, registration, resource.launchUrl(),
                LaunchSpec.resourceLink(registration.issuer(), registration.clientId(), "dep-1", resource.launchUrl(),
                        "warm-" + UUID.randomUUID())).statusCode());
        long now = System.currentTimeMillis() / 1000;
        LaunchSpec spec = LaunchSpec.resourceLink(registration.issuer(), registration.clientId(), "dep-1",
                resource.launchUrl(), "replay-" + UUID.randomUUID()).claim("iat", now).claim("exp", now + 15);
        LtiBrowser browser = new LtiBrowser().json();
        PlatformForm form = browser.loginAndAuthenticate(platform, registration, resource.launchUrl(), spec);
        Map<String, String> cookies = Map.copyOf(browser.cookies());
        assertEquals(303, browser.post(form).statusCode());
        String nonce = nonceOf(form.fields().get("id_token"));

        // while the id_token could still be accepted, the purge keeps its nonce and the replay is refused by it
        job.run().orElseThrow();
        assertEquals(1, count("select count(*) from lti_nonce where value = ?", nonce));
        assertRefused(replay(form, cookies), "nonce_used");

        // once the token is refused by its times, the nonce goes, and the replay is still refused: expired
        Eventually.await(Duration.ofSeconds(40),
                () -> count("select count(*) from lti_nonce where value = ? and expires_at < now()", nonce) == 1,
                () -> "nonce " + nonce + " past its id_token's exp plus skew");
        exec("delete from job_lease");
        job.run().orElseThrow();
        assertEquals(0, count("select count(*) from lti_nonce where value = ?", nonce));
        DbCounts before = DbCounts.of(db);
        Response refused = replay(form, cookies);
        assertRefused(refused, "token_expired");
        assertEquals(before, DbCounts.of(db), "the refused replay stores nothing, its nonce included");
    }

    @Test
    void twoConcurrentRunsOneDoesTheWork() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        exec("insert into lti_nonce (value, expires_at) select ? || g, now() - interval '1 minute' "
                + "from generate_series(1, 12000) g", "race-" + tag + "-");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Optional<PurgeReport>>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return job.run();
                }));
            }
            start.countDown();
            List<PurgeReport> done = new ArrayList<>();
            for (Future<Optional<PurgeReport>> run : runs) {
                run.get().ifPresent(done::add); // an exception in either run fails here
            }
            assertEquals(1, done.size(), "exactly one of two concurrent runs holds the lease: " + done);
            assertTrue(done.get(0).purged().get("lti_nonce") >= 12000, done.toString());
            assertEquals(0, count("select count(*) from lti_nonce where value like ?", "race-" + tag + "-%"));
            assertTrue(job.run().isEmpty(), "the winner keeps the lease until the next interval");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A single replica purges every interval, not every other one: its next tick fires one interval after the tick
     * that started the run, so the lease it keeps must run out before then (the soak found it held to the
     * millisecond, which the next tick missed).
     */
    @Test
    void theLeaseIsFreeAtTheNextTickOfTheSameReplica() {
        Instant before = Instant.now();
        assertTrue(job.run().isPresent());
        Instant until = Instant.parse(text("select to_char(until at time zone 'UTC', "
                + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') from job_lease where name = 'purge'"));
        assertTrue(until.isBefore(before.plus(Duration.ofHours(1))),
                "the lease kept after a run ends before the next tick one interval (1 h) later: " + until);
        assertTrue(until.isAfter(before.plus(Duration.ofMinutes(50))),
                "and still keeps the other replicas off for most of the interval: " + until);
        assertTrue(job.run().isEmpty(), "a second run within the interval does nothing");
    }

    @Test
    void aDeadHoldersLeaseExpiresAndIsTakenOver() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        exec("insert into lti_nonce (value, expires_at) values (?, now() - interval '1 minute')", "dead-" + tag);
        // a replica took the lease and died mid-run: it never renews, its lease runs out in two seconds
        exec("insert into job_lease (name, holder, until) values ('purge', 'dead-pod/0000', now() + interval '2 seconds')");

        assertTrue(job.run().isEmpty(), "a live lease of another holder is respected");
        assertEquals(1, count("select count(*) from lti_nonce where value = ?", "dead-" + tag));

        List<PurgeReport> taken = new ArrayList<>();
        Eventually.await(Duration.ofSeconds(10), () -> {
            job.run().ifPresent(taken::add);
            return !taken.isEmpty();
        }, () -> "the dead holder's lease expires and this replica takes it over");
        assertEquals(0, count("select count(*) from lti_nonce where value = ?", "dead-" + tag));
        assertEquals(taken.get(0).holder(), text("select holder from job_lease where name = 'purge'"));
    }

    @Test
    void theBatchLoopEndsOnALargeTable() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        exec("insert into lti_nonce (value, expires_at) select ? || g, now() - interval '1 day' "
                + "from generate_series(1, 20000) g", "bulk-" + tag + "-");
        exec("insert into lti_nonce (value, expires_at) values (?, now() + interval '1 hour')", "bulk-live-" + tag);

        PurgeReport report = job.run().orElseThrow();

        assertTrue(report.purged().get("lti_nonce") >= 20000, report.toString());
        assertEquals(0, count("select count(*) from lti_nonce where value like ?", "bulk-" + tag + "-%"));
        assertEquals(1, count("select count(*) from lti_nonce where value = ?", "bulk-live-" + tag));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private UUID score(UUID account, UUID resource, UUID link, String status, int daysAgo, int attempts) {
        UUID id = UUID.randomUUID();
        exec("""
                insert into score (id, account_id, resource_id, resource_link_id, score_given, score_maximum,
                    activity_progress, grading_progress, scored_at, created_at, status, attempts, sent_at)
                values (?, ?, ?, ?, 5, 10, 'Completed', 'FullyGraded', now() - ? * interval '1 day',
                    now() - ? * interval '1 day', ?, ?, case when ? = 'SENT' then now() - ? * interval '1 day' end)
                """, id, account, resource, link, daysAgo, daysAgo, status, attempts, status, daysAgo);
        return id;
    }

    private UUID syncRun(UUID resource, String kind, int daysAgo) {
        UUID id = UUID.randomUUID();
        exec("""
                insert into sync_run (id, resource_id, kind, owner, started_at, finished_at, result)
                values (?, ?, ?, 'test', now() - ? * interval '1 day', now() - ? * interval '1 day', 'OK')
                """, id, resource, kind, daysAgo, daysAgo);
        return id;
    }

    private UUID registrationUrl(UUID registration, String expiresAt, String usedAt) {
        UUID id = UUID.randomUUID();
        exec("insert into registration_url (id, registration_id, token_sha256, expires_at, used_at, created_at) "
                + "values (?, ?, ?, " + expiresAt + ", " + (usedAt == null ? "null" : usedAt) + ", now())",
                id, registration, id.toString());
        return id;
    }

    /** The ids of {@code ids} still in {@code table}, in the given order. */
    private List<UUID> present(String table, List<UUID> ids) {
        return ids.stream().filter(id -> count("select count(*) from " + table + " where id = ?", id) == 1).toList();
    }

    private double purgedCounter(String table) {
        var counter = registry.find("lti.retention.purged").tag("table", table).counter();
        return counter == null ? 0 : counter.count();
    }

    private static Response replay(PlatformForm form, Map<String, String> cookies) {
        LtiBrowser replay = new LtiBrowser().json();
        replay.cookies().putAll(cookies);
        return replay.post(form);
    }

    private static void assertRefused(Response response, String code) {
        assertEquals(400, response.statusCode(), response.asString());
        assertEquals(code, response.path("error"), response.asString());
    }

    private static String nonceOf(String idToken) throws Exception {
        byte[] payload = Base64.getUrlDecoder().decode(idToken.split("\\.")[1]);
        return new ObjectMapper().readTree(new String(payload, StandardCharsets.UTF_8)).get("nonce").asText();
    }

    private void exec(String sql, Object... params) {
        try (var connection = db.getConnection(); var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private long count(String sql, Object... params) {
        return DbCounts.scalar(db, sql, params);
    }

    private String text(String sql, Object... params) {
        return DbCounts.text(db, sql, params);
    }
}
