package org.ltipublisher.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the suite: an embedded server (zonky) by default, or the server named by
 * LTI_TEST_JDBC_URL (+ LTI_TEST_DB_USER / LTI_TEST_DB_PASSWORD) when set. With {@code -Dtest.pgbouncer=true}
 * the service reaches it through {@link PgBouncer} in transaction pooling mode (migrations included), with the
 * prepared-statement setting production uses behind such a pooler; the PgBouncer is injected into a test's
 * {@code PgBouncer} field.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static final Pattern HOST_PORT_DATABASE = Pattern.compile("//([^:/]+):(\\d+)/([^?]+)");

    private EmbeddedPostgres postgres;
    private PgBouncer pgBouncer;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(direct());
        if (PgBouncer.enabled()) {
            String url = config.get("quarkus.datasource.jdbc.url");
            Matcher server = HOST_PORT_DATABASE.matcher(url);
            if (!server.find()) {
                throw new IllegalStateException("cannot put PgBouncer in front of " + url);
            }
            pgBouncer = PgBouncer.start(server.group(1), Integer.parseInt(server.group(2)),
                    config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
            config.put("quarkus.datasource.jdbc.url", pgBouncer.jdbcUrl(server.group(3)));
            // what README "Behind PgBouncer" tells operators to set: no named server-side prepared statements
            config.put("lti.db.prepare-threshold", "0");
        }
        return config;
    }

    private Map<String, String> direct() {
        String external = System.getenv("LTI_TEST_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return Map.of("quarkus.datasource.jdbc.url", external,
                    "quarkus.datasource.username", System.getenv().getOrDefault("LTI_TEST_DB_USER", "postgres"),
                    "quarkus.datasource.password", System.getenv().getOrDefault("LTI_TEST_DB_PASSWORD", "postgres"));
        }
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL for the tests", e);
        }
        return Map.of("quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void inject(TestInjector testInjector) {
        if (pgBouncer != null) {
            testInjector.injectIntoFields(pgBouncer, new TestInjector.MatchesType(PgBouncer.class));
        }
    }

    @Override
    public void stop() {
        if (pgBouncer != null) {
            pgBouncer.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
