package org.ltipublisher.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Launches counted for the dashboard: real launches and refusals through the simulated platform reach
 * {@code launch_count} once flushed, and flushers running at once (on one replica, and on two) lose nothing.
 */
@QuarkusTest
class LaunchTallyTest extends WithPostgres {

    static PlatformSimulator platform;

    @Inject
    DataSource db;

    @Inject
    LaunchTally tally;

    @Inject
    LaunchCountStore store;

    @BeforeAll
    static void startPlatform() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    private long counted(String outcome, String reason) {
        return DbCounts.scalar(db, "select coalesce(sum(count), 0) from launch_count where outcome = ? and reason = ?",
                outcome, reason);
    }

    private long refusedInAll() {
        return DbCounts.scalar(db, "select coalesce(sum(count), 0) from launch_count where reason <> ''");
    }

    @Test
    void launchesAndRefusalsThroughThePlatformAreCountedByOutcomeAndReason() {
        tally.flush(); // what earlier tests counted is in the table: compare with it
        long launched = counted("launched", "");
        long unknownDeployment = counted(LaunchTally.REFUSED, "unknown_deployment");
        long unknownClient = counted(LaunchTally.REFUSED, "unknown_client");
        long lti11Missing = counted("lti11_refused", "missing_parameter");
        long allRefused = refusedInAll();

        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("Counted " + UUID.randomUUID(), "auto", "auto");
        for (int i = 0; i < 2; i++) {
            LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(),
                    "learner-" + UUID.randomUUID());
            assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(), spec).statusCode());
        }
        // a launch from a deployment the registration does not know: refused at /lti/launch
        LaunchSpec foreign = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-x", res.launchUrl(),
                "learner-" + UUID.randomUUID());
        assertEquals(400, new LtiBrowser().launch(platform, reg, res.launchUrl(), foreign).statusCode());
        // a login with a client id nobody registered: refused at /lti/login
        Map<String, String> login = new LinkedHashMap<>();
        login.put("iss", reg.issuer());
        login.put("login_hint", "hint");
        login.put("target_link_uri", res.launchUrl());
        login.put("client_id", "nobody-" + UUID.randomUUID());
        assertEquals(400, new LtiBrowser().login(login).statusCode());
        // an LTI 1.1 launch without its OAuth parameters
        RestAssured.given().contentType("application/x-www-form-urlencoded").formParam("lti_message_type",
                "basic-lti-launch-request").post("/lti/v1p1/resources/" + res.id()).then().statusCode(400);
        // an error of the admin API is not a launch
        AdminApi.admin().get("/api/v1/registrations/" + UUID.randomUUID()).then().statusCode(404);

        Eventually.await(Duration.ofSeconds(20), () -> {
            tally.flush();
            return counted("launched", "") == launched + 2;
        }, () -> "two launches counted, not " + (counted("launched", "") - launched));
        assertEquals(unknownDeployment + 1, counted(LaunchTally.REFUSED, "unknown_deployment"));
        assertEquals(unknownClient + 1, counted(LaunchTally.REFUSED, "unknown_client"));
        assertEquals(lti11Missing + 1, counted("lti11_refused", "missing_parameter"));
        assertEquals(allRefused + 3, refusedInAll(), "the three refused launches, and not the admin API's 404");

        LaunchTally.LastDay day = tally.lastDay();
        assertEquals(day.total(), day.byOutcome().stream().mapToLong(LaunchCountStore.Total::count).sum());
        assertTrue(day.topRefusals().stream().anyMatch(t -> t.reason().equals("unknown_deployment")));
    }

    @Test
    void flushersRunningAtOnceLoseAndDoubleNothing() throws Exception {
        String reason = "test_" + UUID.randomUUID().toString().substring(0, 8);
        int threads = 4;
        int perThread = 5_000;
        // this replica's bean and a second replica (its own memory, the same table), flushing while launches count
        LaunchTally otherReplica = new LaunchTally(store, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
        AtomicBoolean counting = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                LaunchTally replica = t % 2 == 0 ? tally : otherReplica;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        replica.refused(reason);
                    }
                    return null;
                }));
            }
            List<Future<?>> flushers = new ArrayList<>();
            for (LaunchTally replica : List.of(tally, otherReplica)) {
                flushers.add(pool.submit(() -> {
                    start.await();
                    while (counting.get()) {
                        replica.flush();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get();
            }
            counting.set(false);
            for (Future<?> f : flushers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        tally.flush();
        otherReplica.flush();
        assertEquals((long) threads * perThread, counted(LaunchTally.REFUSED, reason));
        // one row per hour bucket, whatever the number of flushes that added to it
        long rows = DbCounts.scalar(db, "select count(*) from launch_count where reason = ?", reason);
        assertTrue(rows >= 1 && rows <= 2, rows + " rows"); // two when the test crosses an hour
    }
}
