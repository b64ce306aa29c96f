package org.ltipublisher.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import io.restassured.RestAssured;

/**
 * A test class whose simulated platform also answers the tool's service calls (OAuth 2.0 token, AGS, NRPS) over
 * real HTTP: one platform for the class, started before its first test (the tool's port is known by then),
 * closed after its last, with the faults a test injected cleared before the next one.
 */
public abstract class WithPlatformServices extends WithPostgres {

    protected static PlatformSimulator platform;
    protected static PlatformServices services;

    @BeforeEach
    void startPlatformServices() {
        if (platform == null) {
            platform = new PlatformSimulator();
            services = new PlatformServices(platform, "http://localhost:" + RestAssured.port + "/.well-known/jwks.json");
        }
        services.clearFaults();
    }

    @AfterAll
    static void stopPlatformServices() {
        if (platform != null) {
            platform.close();
            platform = null;
            services = null;
        }
    }
}
