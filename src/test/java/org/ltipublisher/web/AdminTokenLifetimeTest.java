package org.ltipublisher.web;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/** Admin bearer tokens are short-lived: a leaked long-lived one must not open the admin API for years. */
@QuarkusTest
class AdminTokenLifetimeTest extends WithPostgres {

    private static String token(Instant issuedAt, Instant expiresAt) {
        try {
            return Jwt.issuer(AdminApi.ISSUER).upn("test-admin").groups("admin").issuedAt(issuedAt)
                    .expiresAt(expiresAt).sign(KeyUtils.readPrivateKey("admin-test-private.pem"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTenYearTokenIsRefused() {
        Instant now = Instant.now();
        given().auth().oauth2(token(now, now.plus(Duration.ofDays(3650)))).get("/api/v1/registrations")
                .then().statusCode(401);
    }

    @Test
    void aTokenIssuedLongAgoIsRefusedEvenIfItHasNotExpired() {
        Instant now = Instant.now();
        given().auth().oauth2(token(now.minus(Duration.ofHours(2)), now.plus(Duration.ofMinutes(50))))
                .get("/api/v1/registrations").then().statusCode(401);
    }

    @Test
    void aFreshShortTokenIsAccepted() {
        Instant now = Instant.now();
        given().auth().oauth2(token(now, now.plus(Duration.ofMinutes(10)))).get("/api/v1/registrations")
                .then().statusCode(200);
        given().auth().oauth2(AdminApi.token()).get("/api/v1/registrations").then().statusCode(200);
    }
}
