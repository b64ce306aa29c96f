package org.ltipublisher.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.DatabaseProxy;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.ProxiedPostgresTestResource;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The database goes away while users sign in and launch (the finding: 9,477 logins answered a bare 500 during
 * a 30 s outage): every request answers 503 with Retry-After and the tool's page or JSON, quickly, and the
 * service works again as soon as the database is back.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.BehindAProxy.class)
class DatabaseOutageTest extends WithPostgres {

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedPostgresTestResource.class));
        }
    }

    DatabaseProxy database;

    @AfterEach
    void restore() {
        database.restore();
    }

    @TestHTTPResource("/lti/resources/00000000-0000-0000-0000-000000000001")
    URL target;

    private Response login() {
        // an issuer nobody registered: the login must ask the database
        return given().accept("text/html").redirects().follow(false)
                .queryParam("iss", "https://lms-" + System.nanoTime() + ".example.edu")
                .queryParam("login_hint", "u1").queryParam("target_link_uri", target.toString())
                .get("/lti/login");
    }

    @Test
    void aDatabaseOutageAnswers503WithRetryAfterAndTheToolsOwnBody() {
        assertNotNull(database, "the proxy was not injected");
        assertEquals(400, login().statusCode(), "an unknown issuer is refused while the database is up");

        database.cut();

        long started = System.nanoTime();
        Response page = login();
        assertEquals(503, page.statusCode(), page.asString());
        assertNotNull(page.header("Retry-After"));
        ErrorPagesTest.assertToolPage(page, 503, "database_unavailable");

        Response api = AdminApi.admin().get("/api/v1/registrations");
        ErrorPagesTest.assertToolJson(api, 503, "database_unavailable");
        assertNotNull(api.header("Retry-After"));
        assertFalse(api.asString().contains("SQL"), "no internals in the answer: " + api.asString());
        // bounded by the pool's acquisition timeout, not by TCP retries: generous margin for a loaded machine
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30, "requests hung");

        database.restore();

        Eventually.await(Duration.ofSeconds(30), () -> login().statusCode() == 400,
                () -> "the login works again once the database is back");
        Eventually.await(Duration.ofSeconds(30), () -> AdminApi.admin().get("/api/v1/registrations").statusCode() == 200,
                () -> "the admin API works again once the database is back");
    }
}
