package org.ltipublisher.registration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.ltipublisher.testing.AdminApi.admin;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;

/** Manual registration through the admin API (Moodle's Tool details / Platform details / deployments). */
@QuarkusTest
class RegistrationAdminTest extends WithPostgres {

    private static Map<String, Object> platform(String issuer, String clientId) {
        return Map.of("issuer", issuer, "clientId", clientId,
                "authenticationRequestUrl", issuer + "/auth", "accessTokenUrl", issuer + "/token",
                "jwksUrl", issuer + "/jwks");
    }

    private static String create(String name) {
        return admin().body(Map.of("name", name)).post("/api/v1/registrations").then().statusCode(201)
                .extract().path("id");
    }

    @Test
    void adminApiIsClosedWithoutAnAdminToken() {
        given().get("/api/v1/registrations").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/api/v1/registrations").then().statusCode(401);
        given().auth().oauth2(AdminApi.token("student")).get("/api/v1/registrations").then().statusCode(403);
        given().auth().oauth2(AdminApi.token()).get("/api/v1/registrations").then().statusCode(200);
    }

    @Test
    void createGivesToolDetailsAndTheRegistrationTurnsActiveWithPlatformAndDeployment() {
        String id = admin().body(Map.of("name", "Moodle")).post("/api/v1/registrations").then().statusCode(201)
                .header("Location", containsString("/api/v1/registrations/"))
                .body("status", equalTo("PENDING"))
                .body("tool.loginUrl", endsWith("/lti/login"))
                .body("tool.launchUrl", endsWith("/lti/launch"))
                .body("tool.redirectUris[0]", endsWith("/lti/launch"))
                .body("tool.deepLinkingUrl", endsWith("/lti/deep-linking"))
                .body("tool.jwksUrl", endsWith("/.well-known/jwks.json"))
                .body("tool.domain", equalTo("localhost"))
                .extract().path("id");

        admin().body(platform("https://moodle.example.edu", "client-" + id)).put("/api/v1/registrations/" + id + "/platform")
                .then().statusCode(200).body("status", equalTo("PENDING"))
                .body("platform.issuer", equalTo("https://moodle.example.edu"));
        admin().body(Map.of("deploymentId", "1", "name", "Site")).post("/api/v1/registrations/" + id + "/deployments")
                .then().statusCode(201).body("deploymentId", equalTo("1"));

        admin().get("/api/v1/registrations/" + id).then().statusCode(200).body("status", equalTo("ACTIVE"))
                .body("deployments", hasSize(1));
        admin().body(Map.of("deploymentId", "1")).post("/api/v1/registrations/" + id + "/deployments")
                .then().statusCode(409).body("error", equalTo("duplicate_deployment"));
        admin().delete("/api/v1/registrations/" + id + "/deployments/1").then().statusCode(204);
        admin().get("/api/v1/registrations/" + id + "/deployments").then().body("$", hasSize(0));
        admin().delete("/api/v1/registrations/" + id + "/deployments/1").then().statusCode(404)
                .body("error", equalTo("unknown_deployment"));
    }

    @Test
    void platformDetailsAreValidated() {
        String id = create("Validation");
        admin().body(Map.of("clientId", "x")).put("/api/v1/registrations/" + id + "/platform").then().statusCode(422)
                .body("error", equalTo("missing_field")).body("message", containsString("issuer"));
        admin().body(platform("not a url", "x")).put("/api/v1/registrations/" + id + "/platform").then().statusCode(422)
                .body("error", equalTo("invalid_url"));
        admin().body(Map.of("issuer", "https://lms.example.edu", "clientId", "x", "authenticationRequestUrl",
                "https://lms.example.edu/auth", "jwksUrl", "ftp://lms.example.edu/jwks"))
                .put("/api/v1/registrations/" + id + "/platform").then().statusCode(422)
                .body("error", equalTo("insecure_url")).body("message", containsString("jwksUrl"));
        admin().body("{not json").put("/api/v1/registrations/" + id + "/platform").then().statusCode(400);
        admin().get("/api/v1/registrations/" + id).then().body("platform", nullValue());
    }

    @Test
    void oneIssuerMayHaveSeveralClientsButNotTheSameTwice() {
        String issuer = "https://canvas-" + UUID.randomUUID() + ".example.edu";
        String first = create("Canvas A");
        String second = create("Canvas B");
        admin().body(platform(issuer, "10000001")).put("/api/v1/registrations/" + first + "/platform").then().statusCode(200);
        admin().body(platform(issuer, "10000002")).put("/api/v1/registrations/" + second + "/platform").then().statusCode(200);
        admin().body(platform(issuer, "10000001")).put("/api/v1/registrations/" + second + "/platform").then()
                .statusCode(409).body("error", equalTo("duplicate_registration"))
                .body("message", containsString("Canvas A"));
    }

    @Test
    void updateListAndDelete() {
        String id = create("Old name");
        admin().body(Map.of("name", "New name", "unknownDeploymentPolicy", "ADD")).put("/api/v1/registrations/" + id)
                .then().statusCode(200).body("name", equalTo("New name"))
                .body("unknownDeploymentPolicy", equalTo("ADD"));
        admin().body(Map.of("name", "")).put("/api/v1/registrations/" + id).then().statusCode(422);
        admin().get("/api/v1/registrations").then().statusCode(200).body("find { it.id == '" + id + "' }.name",
                equalTo("New name"));
        admin().delete("/api/v1/registrations/" + id).then().statusCode(204);
        admin().get("/api/v1/registrations/" + id).then().statusCode(404).body("error", equalTo("unknown_registration"));
        admin().get("/api/v1/registrations/" + UUID.randomUUID()).then().statusCode(404);
    }
}
