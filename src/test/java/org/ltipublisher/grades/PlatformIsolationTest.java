package org.ltipublisher.grades;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Platforms that hang or point their service URLs at the tool's own network: a hanging line-items
 * service delays only its own platform's scores, and AGS/NRPS URLs from launch claims at a refused
 * address are never called, so the platform's bearer token never goes there.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class PlatformIsolationTest extends WithPostgres {

    static final String AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    static final List<String> AGS_SCOPES = List.of("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score");

    static PlatformSimulator hanging;
    static PlatformSimulator healthy;
    static PlatformServices healthyServices;

    @Inject
    DataSource db;

    @BeforeEach
    void startPlatforms() {
        if (hanging == null) {
            String toolJwks = "http://localhost:" + RestAssured.port + "/.well-known/jwks.json";
            hanging = new PlatformSimulator();
            new PlatformServices(hanging, toolJwks);
            healthy = new PlatformSimulator();
            healthyServices = new PlatformServices(healthy, toolJwks);
        }
    }

    @AfterAll
    static void stopPlatforms() {
        if (hanging != null) {
            hanging.close();
            healthy.close();
            hanging = null;
        }
    }

    /** A learner launch on {@code platform}; returns the registration. */
    private static Registered launch(PlatformSimulator platform, Published res, Map<String, Object> ags,
            Map<String, Object> nrps) {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(),
                "learner-" + UUID.randomUUID()).with(s -> {
                    if (ags != null) {
                        s.claim(AGS, ags);
                    }
                    if (nrps != null) {
                        s.claim(NRPS, nrps);
                    }
                });
        Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec);
        assertEquals(303, launch.statusCode(), launch.asString());
        return reg;
    }

    private static Published problem(String title) {
        return AdminApi.publish(Map.of("title", title, "kind", "problem", "maxGrade", 10,
                "studentProvisioning", "auto", "teacherProvisioning", "auto"));
    }

    /** {@code count} pending scores of new learners on the registration's link rl-1, due now. */
    private void insertScores(Registered reg, Published res, String prefix, int count) throws Exception {
        String link = DbCounts.text(db, "select l.id::text from resource_link l join deployment d on d.id = l.deployment_id "
                + "where d.registration_id = ? and l.resource_link_id = 'rl-1'", reg.id());
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement account = c.prepareStatement("insert into account (id, username, anonymous, created_at) "
                    + "values (?, ?, false, now())");
                    PreparedStatement user = c.prepareStatement("insert into platform_user (id, issuer, subject, "
                            + "account_id, created_at, last_launch_at) values (?, ?, ?, ?, now(), now())");
                    PreparedStatement score = c.prepareStatement("insert into score (id, account_id, resource_id, "
                            + "resource_link_id, platform_issuer, platform_subject, score_given, score_maximum, "
                            + "activity_progress, grading_progress, scored_at, created_at, status, next_attempt_at) "
                            + "values (?, ?, ?, ?::uuid, ?, ?, 7, 10, 'Completed', 'FullyGraded', now(), now(), "
                            + "'PENDING', now())")) {
                for (int i = 0; i < count; i++) {
                    UUID accountId = UUID.randomUUID();
                    account.setObject(1, accountId);
                    account.setString(2, prefix + i);
                    account.executeUpdate();
                    user.setObject(1, UUID.randomUUID());
                    user.setString(2, reg.issuer());
                    user.setString(3, prefix + i);
                    user.setObject(4, accountId);
                    user.executeUpdate();
                    score.setObject(1, UUID.randomUUID());
                    score.setObject(2, accountId);
                    score.setObject(3, res.id());
                    score.setString(4, link);
                    score.setString(5, reg.issuer());
                    score.setString(6, prefix + i);
                    score.executeUpdate();
                }
            }
            c.commit();
        }
    }

    private long count(String prefix, String condition) {
        return DbCounts.scalar(db, "select count(*) from score where platform_subject like ? and (" + condition + ")",
                prefix + "%");
    }

    @Test
    void aHangingLineItemsServiceDelaysOnlyItsOwnPlatformsScores() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger blocked = new AtomicInteger();
        AtomicInteger mostBlocked = new AtomicInteger();
        String route = "/hang-" + UUID.randomUUID();
        hanging.route(route, exchange -> {
            int now = blocked.incrementAndGet();
            mostBlocked.accumulateAndGet(now, Math::max);
            try {
                release.await(60, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(503, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                blocked.decrementAndGet();
                exchange.close();
            }
        });
        try {
            Published res = problem("Isolation " + UUID.randomUUID());
            // platform A grants only a line-items service (no lineitem), so every score first asks it for the column
            Registered a = launch(hanging, res, Map.of("scope", AGS_SCOPES, "lineitems", hanging.issuer() + route),
                    null);
            Registered b = launch(healthy, res, null, null);
            String aPrefix = "hang-" + UUID.randomUUID() + "-";
            String bPrefix = "fine-" + UUID.randomUUID() + "-";

            insertScores(a, res, aPrefix, 6);
            Eventually.await(Duration.ofSeconds(20), () -> blocked.get() > 0, () -> "A's line-items call not started");
            insertScores(b, res, bPrefix, 1);

            Eventually.await(Duration.ofSeconds(20), () -> count(bPrefix, "status = 'SENT'") == 1,
                    () -> "B's score is " + DbCounts.text(db, "select status || ' ' || coalesce(last_error, '') from score "
                            + "where platform_subject like ?", bPrefix + "%"));
            assertEquals(0, count(aPrefix, "last_error is not null or status <> 'PENDING'"),
                    "B's score went out while A's calls were still waiting for their answer");
            assertTrue(blocked.get() > 0, "A's line-items calls are still blocked");
            assertTrue(mostBlocked.get() <= 4, "at most lti.grades.per-platform-deliveries of A's scores in flight: "
                    + mostBlocked.get());
            assertEquals(1, healthyServices.scores().stream().filter(s -> s.userId().startsWith(bPrefix)).count());

            release.countDown(); // A answers 503 from now on: its scores wait for a retry, with the reason
            Eventually.await(Duration.ofSeconds(60), () -> count(aPrefix, "status = 'PENDING' and (last_error like "
                    + "'%did not answer completely within%' or last_error like '%answered HTTP 503%')") == 6,
                    () -> "A's scores: " + DbCounts.text(db, "select string_agg(status || ' ' || coalesce(last_error, "
                            + "'-'), ' | ') from score where platform_subject like ?", aPrefix + "%"));
        } finally {
            release.countDown();
            // A's scores would be retried for the rest of the run: settle them
            DbCounts.scalar(db, "with u as (update score set status = 'FAILED' where platform_issuer = ? "
                    + "and status = 'PENDING' returning 1) select count(*) from u", hanging.issuer());
        }
    }

    /** Answers everything 200 and remembers each request's Authorization header. */
    static final class Listener implements AutoCloseable {
        final HttpServer server;
        final List<String> seen = new CopyOnWriteArrayList<>();

        Listener(String address) throws IOException {
            server = HttpServer.create(new InetSocketAddress(address, 0), 0);
            server.createContext("/", this::record);
            server.start();
        }

        private void record(HttpExchange exchange) throws IOException {
            seen.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        String base() {
            return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void agsAndNrpsUrlsAtARefusedAddressAreNeverCalled() throws Exception {
        // 127.0.0.2 is served by Linux' loopback but is not in the tests' exempt 127.0.0.1/32
        try (Listener internal = new Listener("127.0.0.2")) {
            Published res = AdminApi.publish(Map.of("title", "Internal " + UUID.randomUUID(), "kind", "problem",
                    "maxGrade", 10, "memberSync", true, "studentProvisioning", "auto", "teacherProvisioning", "auto"));
            Registered reg = launch(healthy, res,
                    Map.of("scope", AGS_SCOPES, "lineitems", internal.base() + "/ags/lineitems",
                            "lineitem", internal.base() + "/ags/lineitems/1"),
                    Map.of("context_memberships_url", internal.base() + "/nrps/memberships",
                            "service_versions", List.of("2.0")));
            String prefix = "internal-" + UUID.randomUUID() + "-";
            insertScores(reg, res, prefix, 1);

            Eventually.await(Duration.ofSeconds(20), () -> count(prefix, "status = 'FAILED'") == 1,
                    () -> "score is " + DbCounts.text(db, "select status || ' ' || coalesce(last_error, '') from score "
                            + "where platform_subject like ?", prefix + "%"));
            String reason = DbCounts.text(db, "select last_error from score where platform_subject like ?", prefix + "%");
            assertTrue(reason.contains("127.0.0.2") && reason.contains("not called") && reason.contains("127.0.0.0/8"),
                    reason);

            Object before = lastMemberRun(res).get("runId");
            AdminApi.admin().post("/api/v1/resources/" + res.id() + "/sync/members").then().statusCode(202)
                    .body("kind", equalTo("members"));
            Eventually.await(Duration.ofSeconds(60), () -> {
                Map<String, Object> run = lastMemberRun(res);
                return run.get("runId") != null && !run.get("runId").equals(before) && run.get("finishedAt") != null;
            }, () -> "member sync did not finish: " + lastMemberRun(res));
            Map<String, Object> run = lastMemberRun(res);
            assertEquals("failed", run.get("result"), String.valueOf(run));
            assertTrue(String.valueOf(run.get("message")).contains("not called"), String.valueOf(run));

            assertEquals(List.of(), internal.seen, "nothing, and no bearer token, reached the refused address");
        }
    }

    private static Map<String, Object> lastMemberRun(Published res) {
        List<Map<String, Object>> runs = AdminApi.admin().get("/api/v1/resources/" + res.id() + "/sync").then()
                .statusCode(200).extract().path("");
        return runs.stream().filter(r -> "members".equals(r.get("kind"))).findFirst().orElse(Map.of());
    }
}
