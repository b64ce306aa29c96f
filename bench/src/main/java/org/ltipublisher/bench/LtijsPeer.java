package org.ltipublisher.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.ltipublisher.testing.PlatformSimulator;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The peer of the launch benchmark: ltijs 5.9.9 (bench/ltijs, versions pinned by its package-lock.json)
 * as a Node app on the benchmark's PostgreSQL, in a database of its own, with the simulated platform
 * registered through ltijs's own API at its start.
 */
final class LtijsPeer implements AutoCloseable {

    private static final Path APP = Path.of("bench", "ltijs");
    private static final String DATABASE = "ltijs";
    static final String LOG = "target/bench-ltijs.log";

    private final Process node;
    private final LaunchTarget target;

    private LtijsPeer(Process node, LaunchTarget target) {
        this.node = node;
        this.target = target;
    }

    /**
     * Installs the pinned packages with {@code npm ci} (skipped when bench/ltijs/node_modules already
     * matches package-lock.json), creates the ltijs database and starts the app; returns once it is ready.
     */
    static LtijsPeer start(EmbeddedPostgres postgres, PlatformSimulator platform, int port, LaunchGenerator generator)
            throws Exception {
        install();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        ProcessBuilder builder = new ProcessBuilder(node(), "app.js").directory(APP.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(LOG)));
        builder.environment().putAll(Map.of(
                "PORT", Integer.toString(port),
                "PGHOST", "localhost", "PGPORT", Integer.toString(postgres.getPort()), "PGDATABASE", DATABASE,
                "PGUSER", "postgres", "PGPASSWORD", "postgres",
                "LTI_KEY", "benchmark-only-ltijs-encryption-key",
                "PLATFORM_URL", platform.issuer(), "PLATFORM_CLIENT_ID", "bench-client"));
        builder.environment().putAll(Map.of("PLATFORM_AUTH_URL", platform.authUrl(),
                "PLATFORM_TOKEN_URL", platform.tokenUrl(), "PLATFORM_JWKS_URL", platform.jwksUrl(),
                "NODE_ENV", "production"));
        String base = "http://localhost:" + port;
        LtijsPeer peer = new LtijsPeer(builder.start(), new LaunchTarget("ltijs", base + "/login", "bench-client",
                "bench-deployment", base + "/", "<h1>Benchmark activity</h1>"));
        try {
            double ready = generator.awaitReady(peer.node.toHandle(), base + "/ready", LOG);
            System.out.printf("%nltijs %s (node %s) on PostgreSQL (ltijs-sequelize), ready %.2f s after its start%n",
                    version(), nodeVersion(), ready);
        } catch (Exception e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    LaunchTarget target() {
        return target;
    }

    long pid() {
        return node.pid();
    }

    private static void install() throws IOException, InterruptedException {
        Path installed = APP.resolve("node_modules/.package-lock.json");
        if (Files.exists(installed) && Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(APP.resolve("package-lock.json"))) >= 0) {
            return;
        }
        Process npm = new ProcessBuilder(System.getProperty("bench.npm", "npm"), "ci", "--no-audit", "--no-fund")
                .directory(APP.toFile()).inheritIO().start();
        if (npm.waitFor() != 0) {
            throw new IllegalStateException("npm ci failed in " + APP + " (exit " + npm.exitValue() + ")");
        }
    }

    private static String node() {
        return System.getProperty("bench.node", "node");
    }

    private static String version() throws IOException {
        return new ObjectMapper().readTree(APP.resolve("node_modules/ltijs/package.json").toFile()).path("version").asText();
    }

    private static String nodeVersion() throws IOException, InterruptedException {
        Process version = new ProcessBuilder(List.of(node(), "--version")).redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes()).trim();
        version.waitFor();
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        node.destroy();
        node.waitFor();
    }
}
