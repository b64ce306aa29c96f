package org.ltipublisher.web;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.ltipublisher.testing.AdminApi.admin;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With lti.public-url set, the request's Host (even a forged X-Forwarded-Host) never shapes a published URL. */
@QuarkusTest
@TestProfile(ConfiguredPublicUrlTest.PublicUrl.class)
class ConfiguredPublicUrlTest extends WithPostgres {

    public static class PublicUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lti.public-url", "https://tool.example.edu/");
        }
    }

    @Test
    void publishedUrlsComeFromConfiguration() {
        admin().header("X-Forwarded-Host", "evil.example").header("Host", "pod-7:8080")
                .body(Map.of("name", "Configured")).post("/api/v1/registrations").then().statusCode(201)
                .body("tool.loginUrl", equalTo("https://tool.example.edu/lti/login"))
                .body("tool.redirectUris[0]", equalTo("https://tool.example.edu/lti/launch"));
        admin().body(Map.of("title", "Configured", "kind", "unit")).post("/api/v1/resources").then().statusCode(201)
                .body("launchUrl", startsWith("https://tool.example.edu/lti/resources/"));
    }
}
