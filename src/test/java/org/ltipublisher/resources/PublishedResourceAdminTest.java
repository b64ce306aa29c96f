package org.ltipublisher.resources;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.ltipublisher.testing.AdminApi.admin;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;

/** Publishing content (Moodle's "Published as LTI tools"). */
@QuarkusTest
class PublishedResourceAdminTest extends WithPostgres {

    @Test
    void publishGivesLaunchUrlAndCustomIdWithMoodleDefaults() {
        String id = admin().body(Map.of("title", "Algebra", "kind", "course"))
                .post("/api/v1/resources").then().statusCode(201)
                .body("launchUrl", containsString("/lti/resources/"))
                .body("kind", equalTo("course"))
                .body("maxGrade", equalTo(100))
                .body("studentProvisioning", equalTo("auto"))
                .body("teacherProvisioning", equalTo("prompt"))
                .body("enabled", equalTo(true))
                .extract().path("id");
        admin().get("/api/v1/resources/" + id).then().statusCode(200)
                .body("launchUrl", endsWith("/lti/resources/" + id))
                .body("customProperties", equalTo("id=" + id))
                .body("custom.id", equalTo(id));
    }

    @Test
    void updateDisableEnable() {
        String id = admin().body(Map.of("title", "Unit 1", "kind", "unit", "maxGrade", 20, "gradeSync", true,
                "memberSync", true, "studentProvisioning", "anonymous", "teacherProvisioning", "existing-only",
                "contentUrl", "https://content.example.edu/unit1"))
                .post("/api/v1/resources").then().statusCode(201)
                .body("gradeSync", equalTo(true)).body("studentProvisioning", equalTo("anonymous"))
                .body("teacherProvisioning", equalTo("existing-only")).extract().path("id");
        admin().body(Map.of("title", "Unit 1 (2026)", "kind", "unit", "maxGrade", 25))
                .put("/api/v1/resources/" + id).then().statusCode(200).body("title", equalTo("Unit 1 (2026)"))
                .body("maxGrade", equalTo(25));
        admin().post("/api/v1/resources/" + id + "/disable").then().statusCode(200).body("enabled", equalTo(false));
        admin().post("/api/v1/resources/" + id + "/enable").then().statusCode(200).body("enabled", equalTo(true));
        admin().get("/api/v1/resources").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.title", equalTo("Unit 1 (2026)"));
    }

    @Test
    void invalidResourcesAreRefusedWithTheReason() {
        admin().body(Map.of("kind", "unit")).post("/api/v1/resources").then().statusCode(422)
                .body("error", equalTo("missing_field")).body("message", containsString("title"));
        admin().body(Map.of("title", "x", "kind", "lesson")).post("/api/v1/resources").then().statusCode(422)
                .body("error", equalTo("invalid_kind"));
        admin().body(Map.of("title", "x", "kind", "unit", "maxGrade", 0)).post("/api/v1/resources").then()
                .statusCode(422).body("error", equalTo("invalid_max_grade"));
        admin().body(Map.of("title", "x", "kind", "unit", "studentProvisioning", "magic")).post("/api/v1/resources")
                .then().statusCode(422).body("error", equalTo("invalid_provisioning"))
                .body("message", containsString("auto, prompt, existing-only, anonymous"));
        admin().body(Map.of("title", "x", "kind", "unit", "contentUrl", "javascript:alert(1)"))
                .post("/api/v1/resources").then().statusCode(422).body("error", equalTo("invalid_url"));
        admin().get("/api/v1/resources/" + UUID.randomUUID()).then().statusCode(404)
                .body("error", equalTo("unknown_resource"));
    }

    @Test
    void accountsCanBeCreatedButNotTwiceAndPasswordsAreNeverShown() {
        String username = "teacher-" + UUID.randomUUID();
        admin().body(Map.of("username", username, "email", "t@example.edu", "password", "long enough"))
                .post("/api/v1/accounts").then().statusCode(201).body("canSignIn", equalTo(true))
                .body("password", equalTo(null)).body("passwordHash", equalTo(null));
        admin().body(Map.of("username", username, "password", "long enough")).post("/api/v1/accounts").then()
                .statusCode(409).body("error", equalTo("duplicate_username"));
        admin().body(Map.of("username", "short-" + UUID.randomUUID(), "password", "short")).post("/api/v1/accounts")
                .then().statusCode(422).body("error", equalTo("weak_password"));
    }
}
