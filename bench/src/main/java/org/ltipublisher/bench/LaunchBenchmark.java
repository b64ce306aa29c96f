package org.ltipublisher.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.PlatformSimulator;

import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Launch benchmark: the packaged service (target/quarkus-app) on an embedded PostgreSQL, driven by full
 * OIDC login → launch flows from a simulated platform at concurrency 1, 8 and 32. Prints launches/s,
 * latency percentiles, and CPU time per launch of the service, of PostgreSQL and of this generator,
 * then RSS after 10,000 and after {@code bench.launches} launches. Run: see README ("Benchmark").
 */
public final class LaunchBenchmark {

    private static final int USERS = 2_000;

    // HTTP/1.1 with keep-alive, as browsers reach the pods through an ingress
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final PlatformSimulator platform = new PlatformSimulator();
    private final AtomicInteger launched = new AtomicInteger();
    private String base;
    private AdminApi.Registered registration;
    private AdminApi.Published resource;

    public static void main(String[] args) throws Exception {
        new LaunchBenchmark().run(Integer.getInteger("bench.launches", 100_000));
        System.exit(0);
    }

    private void run(int totalLaunches) throws Exception {
        Path dataDir = Files.createTempDirectory("bench-pg");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true);
        // -Dbench.pg=log_statement=all,log_destination=stderr: PostgreSQL settings for diagnosis (figures use defaults)
        for (String setting : System.getProperty("bench.pg", "").split(",")) {
            if (setting.contains("=")) {
                builder.setServerConfig(setting.substring(0, setting.indexOf('=')).trim(),
                        setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        try (EmbeddedPostgres postgres = builder.start()) {
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            int port = freePort();
            base = "http://localhost:" + port;

            Process first = startService(postgres, port);
            double firstStart = awaitReady(first);
            RestAssured.baseURI = "http://localhost";
            RestAssured.port = port;
            registration = AdminApi.register(platform, "bench-client", "bench-deployment");
            resource = AdminApi.publish("Benchmark activity", "auto", "auto");
            first.destroy();
            first.waitFor();
            Process plain = startService(postgres, port);
            double restart = awaitReady(plain);
            plain.destroy();
            plain.waitFor();

            // JDK 25 AOT cache (JEP 483/514/515): a training run that starts and serves launches, written at exit
            Path aotCache = Path.of("target", "bench-app.aot");
            Files.deleteIfExists(aotCache);
            Process training = startService(postgres, port, "-XX:AOTCacheOutput=" + aotCache);
            awaitReady(training);
            phase("AOT training", 4, 500, training.pid(), postmaster, false);
            training.destroy();
            training.waitFor();
            launched.set(0); // the figures below count this process's launches (the training users return)
            Process cached = startService(postgres, port, "-XX:AOTCache=" + aotCache);
            double aotRestart = awaitReady(cached);
            cached.destroy();
            cached.waitFor();
            // the load runs without the cache: its profiles from a short training run would steer the JIT
            Process service = startService(postgres, port);
            awaitReady(service);
            long servicePid = service.pid();
            System.out.printf("%nmachine: %d cores, %s; java %s%n", Runtime.getRuntime().availableProcessors(),
                    cpuModel(), System.getProperty("java.version"));
            System.out.printf("startup to ready: first start %.2f s (migrations + key generation), restart %.2f s, "
                    + "restart with an AOT cache from a training run %.2f s%n", firstStart, restart, aotRestart);

            // first launches create the users; the rest lets the JIT compile the hot path before measuring
            phase("warm-up", 8, Integer.getInteger("bench.warmup", 20_000), servicePid, postmaster, false);
            System.out.printf("%n%-22s %6s %8s %10s %7s %7s %7s %12s %12s %12s%n", "phase", "conc", "launches",
                    "launches/s", "p50 ms", "p95 ms", "p99 ms", "svc ms CPU", "pg ms CPU", "gen ms CPU");
            phase("returning users", 1, 2_000, servicePid, postmaster, true);
            phase("returning users", 8, 5_000, servicePid, postmaster, true);
            phase("returning users", 32, 5_000, servicePid, postmaster, true);

            int toTenK = Math.max(0, 10_000 - launched.get());
            phase("to 10k", 8, toTenK, servicePid, postmaster, false);
            double rss10k = ProcessCpu.rssMiB(servicePid);
            int rest = Math.max(0, totalLaunches - launched.get());
            phase("to " + totalLaunches / 1000 + "k", 8, rest, servicePid, postmaster, rest > 0);
            double rssEnd = ProcessCpu.rssMiB(servicePid);
            System.out.printf("%nservice RSS: %.0f MiB after %,d launches, %.0f MiB after %,d launches%n", rss10k,
                    10_000, rssEnd, launched.get());
            service.destroy();
            service.waitFor();
        } finally {
            platform.close();
        }
    }

    private void phase(String name, int concurrency, int launches, long servicePid, long postmaster, boolean print)
            throws Exception {
        if (launches <= 0) {
            return;
        }
        double svc0 = ProcessCpu.seconds(servicePid);
        Map<Long, ProcessCpu.ThreadCpu> threads0 = ProcessCpu.threads(servicePid);
        Map<String, Double> pgRoles0 = ProcessCpu.treeByRole(postmaster);
        double pg0 = ProcessCpu.treeSeconds(postmaster);
        double gen0 = ProcessCpu.seconds(ProcessHandle.current().pid());
        long[] latencies = new long[launches];
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < launches; i = next.getAndIncrement()) {
                    latencies[i] = launchOnce("user-" + (launched.getAndIncrement() % USERS));
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        double svc = ProcessCpu.seconds(servicePid) - svc0;
        double pg = ProcessCpu.treeSeconds(postmaster) - pg0;
        double gen = ProcessCpu.seconds(ProcessHandle.current().pid()) - gen0;
        if (!print) {
            return;
        }
        Arrays.sort(latencies);
        System.out.printf("%-22s %6d %8d %10.0f %7.2f %7.2f %7.2f %12.3f %12.3f %12.3f%n", name, concurrency, launches,
                launches / seconds, pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), svc * 1000 / launches,
                pg * 1000 / launches, gen * 1000 / launches);
        System.out.printf("%22s service ms CPU/launch by thread: %s%n", "",
                perLaunch(Map.of(), ProcessCpu.groupDeltas(threads0, ProcessCpu.threads(servicePid), svc), launches));
        System.out.printf("%22s PostgreSQL ms CPU/launch by process: %s%n", "",
                perLaunch(pgRoles0, ProcessCpu.treeByRole(postmaster), launches));
    }

    /**
     * One launch as the browser does it: GET the tool's login, the platform signs an id_token for the
     * returned nonce (in-process, as the platform's own work), POST it to the tool's launch endpoint.
     * Returns the tool's time for the two requests, in nanoseconds.
     */
    private long launchOnce(String sub) throws Exception {
        String loginHint = sub + "-" + UUID.randomUUID();
        long t0 = System.nanoTime();
        HttpResponse<Void> login = http.send(HttpRequest.newBuilder(URI.create(base + "/lti/login?iss="
                + enc(registration.issuer()) + "&client_id=bench-client&login_hint=" + enc(loginHint)
                + "&target_link_uri=" + enc(resource.launchUrl()))).build(), HttpResponse.BodyHandlers.discarding());
        long loginNanos = System.nanoTime() - t0;
        if (login.statusCode() != 302) {
            throw new IllegalStateException("login answered " + login.statusCode());
        }
        Map<String, String> auth = query(URI.create(login.headers().firstValue("Location").orElseThrow()).getRawQuery());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        String idToken = platform.idToken(LaunchSpec.resourceLink(registration.issuer(), "bench-client",
                "bench-deployment", resource.launchUrl(), sub), auth.get("nonce"));
        String form = "id_token=" + enc(idToken) + "&state=" + enc(auth.get("state"));
        long t1 = System.nanoTime();
        HttpResponse<Void> launch = http.send(HttpRequest.newBuilder(URI.create(base + "/lti/launch"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        long launchNanos = System.nanoTime() - t1;
        if (launch.statusCode() != 303) {
            throw new IllegalStateException("launch answered " + launch.statusCode());
        }
        return loginNanos + launchNanos;
    }

    private Process startService(EmbeddedPostgres postgres, int port, String... jvmArgs) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmArgs));
        // e.g. -Dbench.service-jvm-args="-XX:StartFlightRecording=filename=target/launch.jfr" to profile the service
        String extra = System.getProperty("bench.service-jvm-args", "");
        if (!extra.isBlank()) {
            command.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres",
                "-Dlti.keys.encryption-key=YmVuY2htYXJrLW9ubHktZW5jcnlwdGlvbi1rZXktMzI=",
                "-Dlti.registration.allow-http=true",
                "-Dmp.jwt.verify.publickey.location=" + Path.of("src/test/resources/admin-test-public.pem").toUri(),
                "-Dmp.jwt.verify.issuer=" + AdminApi.ISSUER,
                "-Dquarkus.log.category.\"org.ltipublisher\".level=WARN",
                "-jar", "target/quarkus-app/quarkus-run.jar"));
        File log = Path.of("target", "bench-service.log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    /** Seconds from process start to a ready answer on /q/health/ready. */
    private double awaitReady(Process service) throws Exception {
        long startedAt = service.info().startInstant().map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis());
        for (int i = 0; i < 6000; i++) {
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return (System.currentTimeMillis() - startedAt) / 1000.0;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("service not ready; see target/bench-service.log");
    }

    private static String perLaunch(Map<String, Double> before, Map<String, Double> after, int launches) {
        return after.entrySet().stream()
                .map(e -> String.format("%s %.3f", e.getKey(),
                        (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) * 1000 / launches))
                .collect(Collectors.joining(", "));
    }

    private static double pct(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static Map<String, String> query(String raw) {
        return Arrays.stream(raw.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
