package org.ltipublisher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A platform that serves its JWKS with {@code Cache-Control: no-cache} and an ETag (the TAO LTI 1.3 DevKit
 * does): the tool keeps the keys for its floor ({@code lti.platform-jwks.min-cache-time}, two seconds in this
 * profile), then revalidates with If-None-Match, and still refetches outright on an unknown kid.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class PlatformJwksCacheTest extends WithPostgres {

    PlatformSimulator platform;
    Registered registration;
    Published resource;

    @BeforeEach
    void noCachePlatform() {
        platform = new PlatformSimulator();
        platform.jwksCacheControl("no-cache");
        platform.jwksEtag(true);
        registration = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        resource = AdminApi.publish("JWKS floor", "auto", "auto");
    }

    @AfterEach
    void stopPlatform() {
        platform.close();
    }

    private Response launch() {
        return new LtiBrowser().launch(platform, registration, resource.launchUrl(), LaunchSpec.resourceLink(
                registration.issuer(), registration.clientId(), registration.deploymentId(), resource.launchUrl(),
                "jwks-" + UUID.randomUUID()));
    }

    @Test
    void fiftyLaunchesFetchTheKeySetOnceAndOnlyRevalidateAfterwards() {
        for (int i = 0; i < 50; i++) {
            Response launch = launch();
            assertEquals(303, launch.statusCode(), launch.asString());
        }
        assertEquals(1, platform.jwksFullAnswers(), "no-cache JWKS downloaded once for 50 launches");
        assertEquals(1, platform.jwksUnconditional(), "every later request is a conditional revalidation");
        assertEquals(platform.jwksFetches() - 1, platform.jwksNotModified(),
                "each revalidation was answered 304 and kept the keys");
        assertTrue(platform.jwksFetches() < 50, "the JWKS is not fetched on every launch: " + platform.jwksFetches());
    }

    @Test
    void notModifiedKeepsTheKeys() {
        assertEquals(303, launch().statusCode());
        Eventually.await(Duration.ofSeconds(30), () -> {
            Response launch = launch();
            assertEquals(303, launch.statusCode(), launch.asString());
            return platform.jwksNotModified() > 0;
        }, () -> "a launch after the floor revalidates the JWKS");
        assertEquals(303, launch().statusCode(), "the keys kept after a 304 still verify launches");
        assertEquals(1, platform.jwksFullAnswers(), "a 304 is not followed by a full download");
    }

    @Test
    void rotatedKeyIsPickedUpAtOnce() {
        assertEquals(303, launch().statusCode());
        platform.rotateKey();

        Response rotated = launch();

        assertEquals(303, rotated.statusCode(), rotated.asString());
        assertEquals(2, platform.jwksFullAnswers(), "the new kid made the tool download the key set again");
    }
}
