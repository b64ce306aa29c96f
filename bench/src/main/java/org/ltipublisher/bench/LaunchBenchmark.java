package org.ltipublisher.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ltipublisher.lti.ToolPaths;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.PlatformSimulator;

import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Launch benchmark: the packaged service (target/quarkus-app) on an embedded PostgreSQL, driven by full
 * OIDC login → launch → content page flows from a simulated platform ({@link LaunchGenerator}) at
 * concurrency 1, 8 and 32. Prints launches/s, latency percentiles, and CPU time per launch of the service,
 * of PostgreSQL and of the generator, then RSS after 10,000 and after {@code bench.launches} launches.
 * With {@code -Dbench.peer=ltijs} it then runs ltijs ({@link LtijsPeer}) on the same PostgreSQL through
 * the same generator and prints both side by side. Run: see README ("Benchmark").
 */
public final class LaunchBenchmark {

    private final LaunchGenerator generator = new LaunchGenerator();
    private final PlatformSimulator platform = generator.platform();
    private String base;

    public static void main(String[] args) throws Exception {
        new LaunchBenchmark().run(Integer.getInteger("bench.launches", 100_000), System.getProperty("bench.peer", ""));
        System.exit(0);
    }

    private void run(int totalLaunches, String peer) throws Exception {
        if (!peer.isBlank() && !peer.equals("ltijs")) {
            throw new IllegalArgumentException("bench.peer: only ltijs is known, not " + peer);
        }
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
            AdminApi.Registered registration = AdminApi.register(platform, "bench-client", "bench-deployment");
            AdminApi.Published resource = AdminApi.publish("Benchmark activity", "auto", "auto");
            LaunchTarget target = new LaunchTarget("LTI Publisher", base + ToolPaths.LOGIN, registration.clientId(),
                    registration.deploymentId(), resource.launchUrl(), "<h1>Benchmark activity</h1>");
            first.destroy();
            first.waitFor();
            if (Boolean.getBoolean("bench.grades-roster")) {
                // -Dbench.grades-roster=true: only the grades and rosters phase, on the pod's settings (bench/README.md)
                Process service = startService(postgres, port);
                awaitReady(service);
                new GradesAndRosterBench(base, service.pid(), postmaster, postgres.getPostgresDatabase())
                        .run(Integer.getInteger("bench.members", 10_000), Integer.getInteger("bench.scores", 10_000));
                service.destroy();
                service.waitFor();
                return;
            }
            int soak = Integer.getInteger("bench.soak", 0);
            if (soak > 0) {
                // -Dbench.soak=1000000: only the soak, on the pod's settings, then the service's log is the record
                Process service = startService(postgres, port);
                awaitReady(service);
                new Soak(generator, postgres.getPostgresDatabase()).run(target, soak,
                        Integer.getInteger("bench.soak-window", 50_000), service.pid(), postmaster);
                service.destroy();
                service.waitFor();
                return;
            }
            String trainingOnly = System.getProperty("bench.aot-training", "");
            if (!trainingOnly.isBlank()) {
                // the container image's training run (Dockerfile): the cache for exactly this jar, JDK and options
                Process training = startService(postgres, port, "-XX:AOTCacheOutput=" + trainingOnly);
                awaitReady(training);
                generator.phase(target, "AOT training", 4, Integer.getInteger("bench.aot-training-launches", 500),
                        training.pid(), postmaster, false);
                training.destroy();
                training.waitFor();
                System.out.printf("AOT cache written: %s (%d MiB)%n", trainingOnly,
                        Files.size(Path.of(trainingOnly)) >> 20);
                return;
            }
            Process plain = startService(postgres, port);
            double restart = awaitReady(plain);
            plain.destroy();
            plain.waitFor();

            // JDK 25 AOT cache (JEP 483/514/515): a training run that starts and serves launches, written at exit
            Path aotCache = Path.of("target", "bench-app.aot");
            Files.deleteIfExists(aotCache);
            Process training = startService(postgres, port, "-XX:AOTCacheOutput=" + aotCache);
            awaitReady(training);
            generator.phase(target, "AOT training", 4, 500, training.pid(), postmaster, false);
            training.destroy();
            training.waitFor();
            generator.restartCount(); // the figures below count this process's launches (the training users return)
            Process cached = startService(postgres, port, "-XX:AOTCache=" + aotCache);
            double aotRestart = awaitReady(cached);
            // the first launch a restarted pod serves: a returning user, the tool's requests only
            double firstLaunchMs = generator.launchOnce(target, "user-0") / 1e6;
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
            System.out.printf("first launch after that restart: %.1f ms (login, launch, content page)%n", firstLaunchMs);

            List<LaunchGenerator.Figures> ours = measure(target, servicePid, postmaster);
            int toTenK = Math.max(0, Math.min(10_000, totalLaunches) - generator.launched());
            generator.phase(target, "to 10k", 8, toTenK, servicePid, postmaster, false);
            double rss10k = ProcessCpu.rssMiB(servicePid);
            int atTenK = generator.launched();
            int rest = Math.max(0, totalLaunches - generator.launched());
            generator.phase(target, "to " + totalLaunches / 1000 + "k", 8, rest, servicePid, postmaster, rest > 0);
            double rssEnd = ProcessCpu.rssMiB(servicePid);
            System.out.printf("%nservice RSS: %.0f MiB after %,d launches, %.0f MiB after %,d launches%n", rss10k,
                    atTenK, rssEnd, generator.launched());
            service.destroy();
            service.waitFor();

            if (peer.equals("ltijs")) {
                // back to back: LTI Publisher is stopped, so PostgreSQL's CPU from here on is the peer's
                try (LtijsPeer ltijs = LtijsPeer.start(postgres, platform, freePort(), generator)) {
                    generator.restartCount();
                    List<LaunchGenerator.Figures> theirs = measure(ltijs.target(), ltijs.pid(), postmaster);
                    System.out.printf("%nltijs RSS (node): %.0f MiB after %,d launches%n", ProcessCpu.rssMiB(ltijs.pid()),
                            generator.launched());
                    printComparison(ours, theirs);
                }
            }
        } finally {
            generator.close();
            // a failed run must not leave a service or the ltijs app listening
            ProcessHandle.current().children().forEach(ProcessHandle::destroy);
        }
    }

    /** Warm-up (the first launches create the users; the rest lets the JIT compile the hot path), then c = 1, 8, 32. */
    private List<LaunchGenerator.Figures> measure(LaunchTarget tool, long servicePid, long postmaster) throws Exception {
        System.out.printf("%n%s, full flows (login, launch, content page):", tool.name());
        generator.phase(tool, "warm-up", 8, Integer.getInteger("bench.warmup", 20_000), servicePid, postmaster, false);
        LaunchGenerator.printHeader();
        List<LaunchGenerator.Figures> figures = new ArrayList<>();
        // -Dbench.phase-launches=N: N launches in each measured phase (short smoke runs)
        Integer each = Integer.getInteger("bench.phase-launches");
        figures.add(generator.phase(tool, "returning users", 1, each != null ? each : 2_000, servicePid, postmaster, true));
        figures.add(generator.phase(tool, "returning users", 8, each != null ? each : 5_000, servicePid, postmaster, true));
        figures.add(generator.phase(tool, "returning users", 32, each != null ? each : 5_000, servicePid, postmaster, true));
        return figures;
    }

    /** One table, markdown, as the README shows it: each figure of both tools and how ltijs compares. */
    private static void printComparison(List<LaunchGenerator.Figures> ours, List<LaunchGenerator.Figures> theirs) {
        System.out.printf("%nLTI Publisher and ltijs, same generator, same PostgreSQL, back to back:%n%n");
        System.out.println("| concurrency | measure | LTI Publisher | ltijs | ltijs vs LTI Publisher |");
        System.out.println("|---|---|---|---|---|");
        for (int i = 0; i < ours.size(); i++) {
            LaunchGenerator.Figures a = ours.get(i);
            LaunchGenerator.Figures b = theirs.get(i);
            row(a.concurrency(), "launches/s", "%.0f", a.perSecond(), b.perSecond(), true);
            row(a.concurrency(), "p50 ms", "%.2f", a.p50(), b.p50(), false);
            row(a.concurrency(), "p95 ms", "%.2f", a.p95(), b.p95(), false);
            row(a.concurrency(), "p99 ms", "%.2f", a.p99(), b.p99(), false);
            row(a.concurrency(), "CPU ms/launch: service", "%.2f", a.serviceCpu(), b.serviceCpu(), false);
            row(a.concurrency(), "CPU ms/launch: PostgreSQL", "%.2f", a.postgresCpu(), b.postgresCpu(), false);
            row(a.concurrency(), "CPU ms/launch: service + PostgreSQL", "%.2f", a.serviceCpu() + a.postgresCpu(),
                    b.serviceCpu() + b.postgresCpu(), false);
            row(a.concurrency(), "CPU ms/launch: generator", "%.2f", a.generatorCpu(), b.generatorCpu(), false);
        }
    }

    private static void row(int concurrency, String measure, String format, double ours, double theirs,
            boolean higherIsBetter) {
        double ratio = theirs / ours;
        String comparison = higherIsBetter
                ? (ratio <= 1 ? String.format("%.1f× fewer", 1 / ratio) : String.format("%.1f× more", ratio))
                : String.format("%.1f×", ratio);
        System.out.printf("| %d | %s | " + format + " | " + format + " | %s |%n", concurrency, measure, ours, theirs,
                comparison);
    }

    private Process startService(EmbeddedPostgres postgres, int port, String... jvmArgs) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        // the container image's JVM settings in a pod of the k8s base's memory limit (-Dbench.max-ram=256m emulates
        // another; -Dbench.pod=false: JVM defaults)
        boolean pod = Boolean.parseBoolean(System.getProperty("bench.pod", "true"));
        if (pod) {
            command.addAll(List.of("@src/main/docker/jvm.options", "-XX:MaxRAM=" + System.getProperty("bench.max-ram", "384m")));
        }
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
                // the simulated platform listens on loopback, which outbound.AddressPolicy refuses by default
                "-Dlti.outbound.allowed-networks=127.0.0.1/32,::1/128",
                "-Dmp.jwt.verify.publickey.location=" + Path.of("src/test/resources/admin-test-public.pem").toUri(),
                "-Dmp.jwt.verify.issuer=" + AdminApi.ISSUER,
                "-Dquarkus.log.category.\"org.ltipublisher\".level=WARN",
                "-jar", System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar")));
        File log = Path.of("target", "bench-service.log").toFile();
        ProcessBuilder service = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        if (pod) {
            // as the Dockerfile sets it: glibc's malloc arenas, one per thread that allocates, each reserving 64 MiB
            service.environment().put("MALLOC_ARENA_MAX", System.getProperty("bench.malloc-arena-max", "2"));
        }
        return service.start();
    }

    /** Seconds from process start to a ready answer on /q/health/ready. */
    private double awaitReady(Process service) throws Exception {
        return generator.awaitReady(service.toHandle(), base + "/q/health/ready", "target/bench-service.log");
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
