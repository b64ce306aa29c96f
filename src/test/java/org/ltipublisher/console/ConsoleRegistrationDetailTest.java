package org.ltipublisher.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The registration page of the console: platform details, deployments and the unknown-deployment policy. */
@QuarkusTest
class ConsoleRegistrationDetailTest extends WithPostgres {

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    ConsoleFixture.SignedIn console;
    String session;
    LtiBrowser browser;

    @BeforeEach
    void signIn() throws SQLException {
        console = ConsoleFixture.firstAdmin(db, setupLink, "registrar", "registrar password");
        browser = console.browser();
        session = console.session();
    }

    private UUID newRegistration() {
        String id = AdminApi.admin().body(Map.of("name", "Manual Moodle " + UUID.randomUUID()))
                .post("/api/v1/registrations").then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    @Test
    void platformDetailsDeploymentsAndPolicyAreEditedFromThePage() {
        UUID id = newRegistration();
        String base = "/console/registrations/" + id;
        console.page(base).then().statusCode(200).body(containsString("Platform details")).body(containsString("PENDING"))
                .body(containsString("How to register in your LMS")).body(containsString("docs/platforms/brightspace.md"));
        console.page("/console/registrations").then().statusCode(200).body(containsString("How to register in your LMS"))
                .body(containsString("Dynamic Registration URL"));

        String issuer = "https://moodle-" + UUID.randomUUID() + ".example.edu";
        Response saved = console.post(base + "/platform", Map.of("issuer", issuer, "clientId", "client-7",
                "authenticationRequestUrl", issuer + "/mod/lti/auth.php", "accessTokenUrl", issuer + "/mod/lti/token.php",
                "jwksUrl", issuer + "/mod/lti/certs.php", "tokenAudience", ""));
        assertEquals(303, saved.statusCode(), saved.asString());
        assertEquals(1, DbCounts.scalar(db, "select count(*) from registration where id = ? and issuer = ? and client_id = ?",
                id, issuer, "client-7"));

        assertEquals(303, console.post(base + "/deployments", Map.of("deploymentId", "4", "deploymentName", "Site")).statusCode());
        console.page(base).then().body(containsString("<code>4</code>")).body(containsString("ACTIVE"));
        assertEquals(303, console.post(base + "/policy", Map.of("unknownDeploymentPolicy", "ADD")).statusCode());
        assertEquals(1, DbCounts.scalar(db,
                "select count(*) from registration where id = ? and unknown_deployment_policy = 'ADD'", id));

        assertEquals(303, console.post(base + "/deployments/remove", Map.of("deploymentId", "4")).statusCode());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from deployment where registration_id = ?", id));
    }

    @Test
    void badInputIsRefusedWithAReasonAndChangesNothing() {
        UUID id = newRegistration();
        String base = "/console/registrations/" + id;

        Response badUrl = console.post(base + "/platform", Map.of("issuer", "not a url", "clientId", "c",
                "authenticationRequestUrl", "x", "jwksUrl", "y"));
        assertTrue(badUrl.statusCode() >= 400 && badUrl.statusCode() < 500, badUrl.asString());
        assertTrue(badUrl.asString().contains("issuer"), badUrl.asString());
        assertEquals(1, DbCounts.scalar(db, "select count(*) from registration where id = ? and issuer is null", id));

        Response badPolicy = console.post(base + "/policy", Map.of("unknownDeploymentPolicy", "MAYBE"));
        assertEquals(400, badPolicy.statusCode(), badPolicy.asString());
        assertTrue(badPolicy.asString().contains("REFUSE or ADD"), badPolicy.asString());

        Response unknownRemoval = console.post(base + "/deployments/remove", Map.of("deploymentId", "99"));
        assertEquals(404, unknownRemoval.statusCode(), unknownRemoval.asString());

        console.page("/console/registrations/not-a-uuid").then().statusCode(404).body(containsString("registrations list"));
        console.page("/console/registrations/" + UUID.randomUUID()).then().statusCode(404);
    }
}
