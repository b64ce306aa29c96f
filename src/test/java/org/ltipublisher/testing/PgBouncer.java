package org.ltipublisher.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's PgBouncer in transaction pooling mode in front of the suite's PostgreSQL, as CloudNativePG's
 * {@code Pooler} puts it in front of the pods: every transaction may run on another server connection, so
 * session state (session advisory locks, {@code SET}, named prepared statements) does not survive between
 * transactions. Installed by {@code .ci/install-pgbouncer.sh} when missing; its own process with a generated
 * ini under {@code target/pgbouncer-<port>/}, listening on a free loopback port, no unix socket.
 */
public final class PgBouncer implements AutoCloseable {

    /** Set to {@code true} ({@code -Dtest.pgbouncer=true}) to run the suite's service through PgBouncer. */
    public static final String ENABLED_PROPERTY = "test.pgbouncer";

    /** Server connections per database/user pair, fewer than the service's pool so clients really share them. */
    public static final int POOL_SIZE = 8;

    private final Process process;
    private final int port;
    private final Path log;

    private PgBouncer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static boolean enabled() {
        return Boolean.getBoolean(ENABLED_PROPERTY);
    }

    /** Starts PgBouncer in front of the PostgreSQL at {@code host:serverPort}, logging in as {@code user}. */
    public static PgBouncer start(String host, int serverPort, String user, String password) {
        try {
            String binary = binary();
            int port = freePort();
            Path dir = Path.of("target", "pgbouncer-" + port).toAbsolutePath();
            Files.createDirectories(dir);
            Path userlist = dir.resolve("userlist.txt");
            // plain-text password: PgBouncer answers the client's SCRAM itself and logs in to the server with it
            Files.writeString(userlist, quoted(user) + " " + quoted(password) + "\n", StandardCharsets.UTF_8);
            Path ini = dir.resolve("pgbouncer.ini");
            Files.writeString(ini, String.join("\n",
                    "[databases]",
                    "* = host=" + host + " port=" + serverPort,
                    "",
                    "[pgbouncer]",
                    "pool_mode = transaction",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = scram-sha-256",
                    "auth_file = " + userlist,
                    "default_pool_size = " + POOL_SIZE,
                    "max_client_conn = 500",
                    // pgjdbc sends it in every startup packet; PgBouncer does not track it
                    "ignore_startup_parameters = extra_float_digits",
                    "log_connections = 0",
                    "log_disconnections = 0",
                    ""), StandardCharsets.UTF_8);
            Path log = dir.resolve("pgbouncer.log");
            List<String> command = new ArrayList<>(List.of(binary));
            if ("root".equals(System.getProperty("user.name"))) {
                // PgBouncer refuses to run as root (CI images run the build as root)
                command.addAll(List.of("-u", "nobody"));
            }
            command.add(ini.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PgBouncer bouncer = new PgBouncer(process, port, log);
            bouncer.awaitListening();
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PgBouncer", e);
        }
    }

    /**
     * The service's JDBC URL through the pooler. pgjdbc's server-side prepared statements stay off through the
     * service's own setting (lti.db.prepare-threshold), which the test resource sets, not here.
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PgBouncer exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new IllegalStateException("PgBouncer did not listen on " + port + " within 20 s:\n" + log());
    }

    /** The installed binary, installing the Debian package through the project's script first when needed. */
    private static String binary() throws IOException {
        String found = which();
        if (found == null) {
            Process install = new ProcessBuilder("bash", ".ci/install-pgbouncer.sh").inheritIO().start();
            try {
                if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
                    throw new IllegalStateException("PgBouncer is missing and .ci/install-pgbouncer.sh failed (needs "
                            + "root or sudo and the Debian archive); install the 'pgbouncer' package and run again");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while installing PgBouncer", e);
            }
            found = which();
        }
        if (found == null) {
            throw new IllegalStateException("PgBouncer is still missing after .ci/install-pgbouncer.sh");
        }
        return found;
    }

    private static String which() {
        List<String> candidates = new ArrayList<>(List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(dir + "/pgbouncer");
        }
        return candidates.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst().orElse(null);
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
