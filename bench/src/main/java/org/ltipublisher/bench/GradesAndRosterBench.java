package org.ltipublisher.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformServices.Roster;
import org.ltipublisher.testing.PlatformSimulator;

import io.restassured.specification.RequestSpecification;

/**
 * The grades and rosters phase of the benchmark ({@code -Dbench.grades-roster=true}), against the packaged
 * service {@link LaunchBenchmark} started on its embedded PostgreSQL with the pod's JVM settings: a simulated
 * platform on loopback, a roster of {@code members} synced over NRPS ("Sync now", timed from the request to the
 * run's end, with the service's RSS and heap sampled throughout), then {@code scores} scores posted through the
 * admin API (intake), and the outbox's delivery rate measured on its own: the platform answers 503 with a
 * one-hour Retry-After while they are posted, so they wait in the outbox; then the backlog is made due at once
 * and timed from the first to the last score the platform receives. See bench/README.md.
 */
final class GradesAndRosterBench {

    private static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

    private final String base;
    private final long servicePid;
    private final long postmaster;
    private final DataSource database;
    private final HttpClient http = HttpClient.newHttpClient();

    GradesAndRosterBench(String base, long servicePid, long postmaster, DataSource database) {
        this.base = base;
        this.servicePid = servicePid;
        this.postmaster = postmaster;
        this.database = database;
    }

    void run(int members, int scores) throws Exception {
        // each figure as soon as it is measured, also when the output is a file
        System.setOut(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true));
        try (PlatformSimulator platform = new PlatformSimulator()) {
            PlatformServices services = new PlatformServices(platform, base + "/.well-known/jwks.json");
            AdminApi.Registered reg = AdminApi.register(platform, "bench-" + UUID.randomUUID(), "dep-1");
            AdminApi.Published resource = AdminApi.publish(Map.of("title", "Benchmark problem", "kind", "problem",
                    "maxGrade", 10, "memberSync", true, "studentProvisioning", "auto", "teacherProvisioning", "auto"));

            // one learner launches, so the tool learns the course's NRPS and AGS endpoints
            String context = "bench-" + UUID.randomUUID();
            LaunchSpec spec = LaunchSpec.resourceLink(platform.issuer(), reg.clientId(), "dep-1", resource.launchUrl(),
                    "member-0").lti("context", Map.of("id", context, "title", "Benchmark course"))
                    .claim(NRPS, Map.of("context_memberships_url", platform.issuer() + "/nrps/" + context + "/memberships",
                            "service_versions", List.of("2.0")));
            var launch = new LtiBrowser().launch(platform, reg, resource.launchUrl(), spec);
            if (launch.statusCode() != 303) {
                throw new IllegalStateException("launch answered " + launch.statusCode() + ": " + launch.asString());
            }

            Roster roster = services.roster(context);
            for (int i = 0; i < members; i++) {
                roster.add("member-" + i, "Member " + i, "member" + i + "@example.edu", "Active", LEARNER);
            }
            memberSync(resource.id(), members, "first sync (every member new)");
            memberSync(resource.id(), members, "second sync (every member known)");
            outbox(services, platform, reg, resource.id(), members, scores);
        }
    }

    private void memberSync(UUID resourceId, int members, String what) throws Exception {
        System.gc();
        double rssBefore = ProcessCpu.rssMiB(servicePid);
        double heapBefore = heapMiB();
        double rssPeak = rssBefore;
        double heapPeak = heapBefore;
        double cpuBefore = ProcessCpu.seconds(servicePid);
        double pgBefore = ProcessCpu.treeSeconds(postmaster);
        String startedBefore = lastMemberRun(resourceId).map(r -> String.valueOf(r.get("startedAt"))).orElse("");
        long start = System.nanoTime();
        admin().post("/api/v1/resources/" + resourceId + "/sync/members").then().statusCode(202);
        Map<String, Object> run;
        while (true) {
            Thread.sleep(50);
            rssPeak = Math.max(rssPeak, ProcessCpu.rssMiB(servicePid));
            heapPeak = Math.max(heapPeak, heapMiB());
            run = lastMemberRun(resourceId).orElse(null);
            if (run != null && run.get("finishedAt") != null && !String.valueOf(run.get("startedAt")).equals(startedBefore)) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long rows = count("select count(*) from enrolment where resource_id = ? and status = 'ACTIVE'", resourceId);
        System.out.printf("%nmember sync, %s: %,d members, %.2f s from \"Sync now\" to done (%s, counts %s), %,d active "
                + "enrolments%n", what, members, seconds, run.get("result"), run.get("counts"), rows);
        System.out.printf("  service RSS %.0f MiB before, %.0f MiB peak, %.0f MiB after; heap used %.0f MiB before, "
                + "%.0f MiB peak (sampled every 50 ms)%n", rssBefore, rssPeak, ProcessCpu.rssMiB(servicePid), heapBefore,
                heapPeak);
        System.out.printf("  CPU: service %.2f s, PostgreSQL %.2f s; machine load average %s%n",
                ProcessCpu.seconds(servicePid) - cpuBefore, ProcessCpu.treeSeconds(postmaster) - pgBefore,
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
    }

    private java.util.Optional<Map<String, Object>> lastMemberRun(UUID resourceId) {
        List<Map<String, Object>> runs = admin().get("/api/v1/resources/" + resourceId + "/sync").then().statusCode(200)
                .extract().path("");
        return runs.stream().filter(r -> "members".equals(r.get("kind")) && r.get("startedAt") != null).findFirst();
    }

    private void outbox(PlatformServices services, PlatformSimulator platform, AdminApi.Registered reg, UUID resourceId,
            int members, int scores) throws Exception {
        // while the scores come in, the platform answers 503 with an hour's Retry-After: they wait in the outbox
        services.failScores(503, Integer.MAX_VALUE, "3600", null);
        ExecutorService posters = Executors.newFixedThreadPool(8);
        long intakeStart = System.nanoTime();
        List<Future<Integer>> posted = new ArrayList<>();
        for (int i = 0; i < scores; i++) {
            int n = i;
            posted.add(posters.submit(() -> admin().body(Map.of("scoreGiven", n % 11, "issuer", platform.issuer(),
                    "clientId", reg.clientId(), "userId", "member-" + (n % members), "resourceLinkId", "rl-1"))
                    .post("/api/v1/scores").statusCode()));
        }
        for (Future<Integer> f : posted) {
            if (f.get() != 202) {
                throw new IllegalStateException("a score was answered " + f.get());
            }
        }
        double intakeSeconds = (System.nanoTime() - intakeStart) / 1e9;
        posters.shutdown();
        System.out.printf("%nscore intake: %,d scores posted by 8 clients (admin JWT), accepted in %.1f s: %.0f scores/s "
                + "(the outbox tries each once meanwhile)%n", scores, intakeSeconds, scores / intakeSeconds);
        long deadline = System.nanoTime() + 600_000_000_000L;
        String waiting = "select count(*) from score where resource_id = ? and status = 'PENDING' and attempts > 0 "
                + "and lease_owner is null and next_attempt_at > now() + interval '30 minutes'";
        while (count(waiting, resourceId) < scores) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the outbox did not try every score within 10 minutes");
            }
            Thread.sleep(100);
        }

        services.clearFaults();
        int before = services.scores().size();
        double cpuBefore = ProcessCpu.seconds(servicePid);
        double pgBefore = ProcessCpu.treeSeconds(postmaster);
        double simulatorBefore = ProcessCpu.seconds(ProcessHandle.current().pid());
        long due = System.nanoTime();
        long made = update("update score set next_attempt_at = now() where resource_id = ? and status = 'PENDING'",
                resourceId);
        long first = 0;
        int received;
        while ((received = services.scores().size() - before) < made) {
            if (first == 0 && received > 0) {
                first = System.nanoTime();
            }
            if (System.nanoTime() - due > 600_000_000_000L) {
                throw new IllegalStateException("only " + received + " of " + made + " scores delivered in 10 minutes");
            }
            Thread.sleep(5);
        }
        long last = System.nanoTime();
        if (first == 0) {
            first = due;
        }
        double seconds = (last - first) / 1e9;
        double cpu = ProcessCpu.seconds(servicePid) - cpuBefore;
        double pg = ProcessCpu.treeSeconds(postmaster) - pgBefore;
        double simulator = ProcessCpu.seconds(ProcessHandle.current().pid()) - simulatorBefore;
        System.out.printf("outbox: a backlog of %,d scores delivered to the simulated AGS in %.2f s from the first to "
                + "the last received: %.0f scores/s (%.2f s from due to the first); %d stale, %d token requests%n", made,
                seconds, made / seconds, (first - due) / 1e9, services.staleScores(), services.tokenRequests());
        System.out.printf("  CPU per score: service %.3f ms, PostgreSQL %.3f ms, the benchmark's JVM (platform simulator) "
                + "%.3f ms; machine load average %s%n", cpu * 1000 / made, pg * 1000 / made, simulator * 1000 / made,
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
    }

    /** Heap in use, from the service's Prometheus metrics. */
    private double heapMiB() {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double bytes = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return bytes / (1 << 20);
        } catch (Exception e) {
            return 0;
        }
    }

    private long count(String sql, Object... params) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private long update(String sql, Object... params) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        }
    }

    private static RequestSpecification admin() {
        return AdminApi.admin();
    }
}
