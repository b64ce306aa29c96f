package org.ltipublisher.legacy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The consumer admin API: create (secret shown once), list, get, update, delete, and its refusals. */
@QuarkusTest
class ConsumerAdminTest extends WithPostgres {

    @Inject
    DataSource db;

    @Test
    void createGeneratesKeyAndSecretShownOnlyOnceAndStoredEncrypted() {
        Response created = AdminApi.admin().body(Map.of("name", "Canvas (district)"))
                .post("/api/v1/consumers").then().statusCode(201)
                .body("name", equalTo("Canvas (district)"))
                .body("authMode", equalTo("anonymous"))
                .body("requireUserAccount", equalTo(false))
                .body("launchUrlTemplate", endsWith("/lti/v1p1/resources/{resourceId}"))
                .extract().response();
        String id = created.path("id");
        String key = created.path("consumerKey");
        String secret = created.path("consumerSecret");
        assertTrue(key.startsWith("lp-") && key.length() > 10, key);
        assertTrue(secret.length() >= 40, secret);
        assertTrue(created.header("Location").endsWith("/api/v1/consumers/" + id));

        AdminApi.admin().get("/api/v1/consumers/" + id).then().statusCode(200)
                .body("consumerKey", equalTo(key)).body("$", not(hasKey("consumerSecret")));
        AdminApi.admin().get("/api/v1/consumers").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.consumerSecret", nullValue());
        String stored = DbCounts.text(db, "select secret_jwe from lti_consumer where id = ?::uuid", id);
        assertFalse(stored.contains(secret), "the secret is encrypted at rest");
        assertEquals(5, stored.split("\\.", -1).length, "stored as a compact JWE");
    }

    @Test
    void operatorSuppliedKeyAndSecretAndModesAreKeptAndValidated() {
        String key = "edx-" + UUID.randomUUID();
        Response created = AdminApi.admin().body(Map.of("name", "Open edX", "consumerKey", key,
                "consumerSecret", "a-long-enough-shared-secret", "authMode", "auto-link-email", "requireUserAccount", true))
                .post("/api/v1/consumers").then().statusCode(201)
                .body("consumerKey", equalTo(key)).body("consumerSecret", equalTo("a-long-enough-shared-secret"))
                .body("authMode", equalTo("auto-link-email")).body("requireUserAccount", equalTo(true))
                .extract().response();
        String id = created.path("id");

        AdminApi.admin().body(Map.of("name", "Other", "consumerKey", key)).post("/api/v1/consumers").then()
                .statusCode(409).body("error", equalTo("duplicate_consumer_key"));
        AdminApi.admin().body(Map.of("name", "Bad mode", "authMode", "everyone")).post("/api/v1/consumers").then()
                .statusCode(422).body("error", equalTo("invalid_auth_mode"));
        AdminApi.admin().body(Map.of("name", "Weak", "consumerSecret", "short")).post("/api/v1/consumers").then()
                .statusCode(422).body("error", equalTo("weak_consumer_secret"));
        AdminApi.admin().body(Map.of("authMode", "anonymous")).post("/api/v1/consumers").then()
                .statusCode(422).body("error", equalTo("missing_field"));

        AdminApi.admin().body(Map.of("name", "Open edX (renamed)", "authMode", "existing-only",
                "requireUserAccount", false)).put("/api/v1/consumers/" + id).then().statusCode(200)
                .body("name", equalTo("Open edX (renamed)")).body("authMode", equalTo("existing-only"))
                .body("requireUserAccount", equalTo(false)).body("consumerKey", equalTo(key))
                .body("$", not(hasKey("consumerSecret")));

        AdminApi.admin().delete("/api/v1/consumers/" + id).then().statusCode(204);
        AdminApi.admin().get("/api/v1/consumers/" + id).then().statusCode(404).body("error", equalTo("unknown_consumer"));
    }

    @Test
    void theApiNeedsAnAdminToken() {
        given().contentType("application/json").body(Map.of("name", "x")).post("/api/v1/consumers").then().statusCode(401);
        given().auth().oauth2(AdminApi.token("user")).get("/api/v1/consumers").then().statusCode(403);
    }
}
