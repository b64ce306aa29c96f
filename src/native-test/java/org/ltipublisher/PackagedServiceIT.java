package org.ltipublisher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;

/**
 * The packaged artifact end to end (the JVM jar in `./mvnw verify`, the native binary with -Dnative):
 * health, JWKS, and a full login → launch from the simulated platform into the sample activity.
 */
@QuarkusIntegrationTest
class PackagedServiceIT extends WithPostgres {

    static PlatformSimulator platform;

    @BeforeAll
    static void start() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void healthIsUpWithTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void jwksServesTheToolKeys() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys.size()", greaterThanOrEqualTo(2))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"));
    }

    @Test
    void fullLaunchReachesTheSampleActivity() {
        Registered registration = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published resource = AdminApi.publish("Packaged", "auto", "prompt");
        LtiBrowser browser = new LtiBrowser();
        Response launch = browser.launch(platform, registration, resource.launchUrl(),
                LaunchSpec.resourceLink(registration.issuer(), registration.clientId(), "dep-1", resource.launchUrl(),
                        "it-" + UUID.randomUUID()));

        assertEquals(303, launch.statusCode(), launch.asString());
        String location = launch.header("Location");
        assertTrue(location.contains("/activity/" + resource.id()), location);
        browser.get(location).then().statusCode(200).body(containsString("Ada Lovelace"));
    }
}
