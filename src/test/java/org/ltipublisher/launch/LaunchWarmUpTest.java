package org.ltipublisher.launch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.ltipublisher.keys.ToolKeyService;
import org.ltipublisher.keys.ToolTokens;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/** Readiness waits for the launch warm-up, and the warm-up leaves the database as it found it. */
@QuarkusTest
class LaunchWarmUpTest extends WithPostgres {

    /** Tables a launch, a login or the tool's keys and secrets could write, beyond {@link DbCounts}'s. */
    private static final List<String> MORE_TABLES = List.of("tool_key", "tool_secret", "registration",
            "launch_count", "tool_session");

    @Inject
    ToolKeyService keys;

    @Inject
    ToolTokens tokens;

    @Inject
    RegistrationService registrations;

    @Inject
    DataSource db;

    @Inject
    Vertx vertx;

    @TestHTTPResource("/")
    URL base;

    @Test
    void notReadyUntilWarmedUpAndTheWarmUpWritesNothing() {
        LaunchWarmUp warmUp = new LaunchWarmUp(keys, tokens, registrations, db, vertx);
        assertEquals(HealthCheckResponse.Status.DOWN, warmUp.call().getStatus());
        DbCounts before = DbCounts.of(db);
        Map<String, Long> moreBefore = counts();

        warmUp.warmUp(base.getPort());

        assertEquals(HealthCheckResponse.Status.UP, warmUp.call().getStatus());
        assertEquals(before, DbCounts.of(db));
        assertEquals(moreBefore, counts());
    }

    @Test
    void theServiceReadinessIncludesTheWarmUp() {
        // the service's own warm-up starts when its port opens, on a worker thread
        Eventually.await(Duration.ofSeconds(30), () -> given().get("/q/health/ready").statusCode() == 200,
                () -> "the service to be ready");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == '" + LaunchWarmUp.NAME + "' }.status", is("UP"));
    }

    private Map<String, Long> counts() {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : MORE_TABLES) {
            rows.put(table, DbCounts.scalar(db, "select count(*) from " + table));
        }
        return rows;
    }
}
