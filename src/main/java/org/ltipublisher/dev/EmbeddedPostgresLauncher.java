package org.ltipublisher.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts (or finds already running, after a dev-mode reload) the embedded PostgreSQL of dev mode.
 * Data lives in {@code target/embedded-postgresql} and survives restarts until {@code mvn clean}.
 */
public final class EmbeddedPostgresLauncher {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresLauncher.class);

    private EmbeddedPostgresLauncher() {
    }

    public static Map<String, String> start() {
        int port = Integer.parseInt(System.getenv().getOrDefault("LTI_DEV_DB_PORT", "54329"));
        if (!listening(port)) {
            Path dataDirectory = Path.of("target", "embedded-postgresql").toAbsolutePath();
            try {
                EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(false).start(); // zonky stops it in its JVM shutdown hook
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL on port " + port, e);
            }
            LOG.infof("dev mode: embedded PostgreSQL on port %d, data in %s", port, dataDirectory);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
