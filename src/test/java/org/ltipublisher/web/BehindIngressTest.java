package org.ltipublisher.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ltipublisher.testing.AdminApi.admin;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Behind an ingress that ends TLS: with forwarded headers trusted (quarkus.http.proxy.*), every URL the
 * tool publishes is the one the platform and the browser see, never the pod's own address.
 */
@QuarkusTest
@TestProfile(BehindIngressTest.TrustedProxy.class)
class BehindIngressTest extends WithPostgres {

    public static class TrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.enable-forwarded-host", "true");
        }
    }

    @Test
    void publishedUrlsFollowTheForwardedHostAndScheme() {
        admin().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "lti.example.edu")
                .body(Map.of("name", "Behind ingress")).post("/api/v1/registrations").then().statusCode(201)
                .body("tool.loginUrl", equalTo("https://lti.example.edu/lti/login"))
                .body("tool.launchUrl", equalTo("https://lti.example.edu/lti/launch"))
                .body("tool.jwksUrl", equalTo("https://lti.example.edu/.well-known/jwks.json"))
                .body("tool.domain", equalTo("lti.example.edu"));
        admin().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "lti.example.edu")
                .body(Map.of("title", "Forwarded", "kind", "problem")).post("/api/v1/resources").then()
                .statusCode(201).body("launchUrl", org.hamcrest.Matchers.startsWith("https://lti.example.edu/lti/resources/"));
    }

    @Test
    void loginChecksTheTargetAgainstThePublicUrlAndAnswersWithSecureCookies() {
        Response login = given().redirects().follow(false).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "lti.example.edu").accept("application/json")
                .queryParams(Map.of("iss", "https://unknown.example", "login_hint", "x",
                        "target_link_uri", "http://localhost:8081/lti/resources/x"))
                .get("/lti/login");
        assertEquals(400, login.statusCode());
        assertEquals("foreign_target", login.path("error"));
        assertTrue(login.<String>path("message").contains("https://lti.example.edu"), login.asString());
    }
}
