package org.ltipublisher.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/** The admin API as an administrator uses it, with a bearer JWT signed by the test identity provider key. */
public final class AdminApi {

    public static final String ISSUER = "https://admin.test";

    private AdminApi() {
    }

    /** A registered platform: what a launch needs to know. */
    public record Registered(UUID id, String issuer, String clientId, String deploymentId) {
    }

    /** A published resource. */
    public record Published(UUID id, String launchUrl) {
    }

    public static String token() {
        return token("admin");
    }

    public static String token(String group) {
        try {
            return Jwt.issuer(ISSUER).upn("test-admin").groups(group)
                    .sign(KeyUtils.readPrivateKey("admin-test-private.pem"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RequestSpecification admin() {
        return given().auth().oauth2(token()).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static Registered register(PlatformSimulator platform, String clientId, String deploymentId) {
        return register(platform, clientId, deploymentId, "REFUSE");
    }

    public static Registered register(PlatformSimulator platform, String clientId, String deploymentId, String policy) {
        String id = admin().body(Map.of("name", "Test platform " + clientId, "unknownDeploymentPolicy", policy))
                .post("/api/v1/registrations").then().statusCode(201).extract().path("id");
        admin().body(Map.of("issuer", platform.issuer(), "clientId", clientId,
                "authenticationRequestUrl", platform.authUrl(), "accessTokenUrl", platform.tokenUrl(),
                "jwksUrl", platform.jwksUrl()))
                .put("/api/v1/registrations/" + id + "/platform").then().statusCode(200);
        if (deploymentId != null) {
            admin().body(Map.of("deploymentId", deploymentId, "name", "Site"))
                    .post("/api/v1/registrations/" + id + "/deployments").then().statusCode(201);
        }
        return new Registered(UUID.fromString(id), platform.issuer(), clientId, deploymentId);
    }

    public static Published publish(Map<String, Object> resource) {
        Response response = admin().body(resource).post("/api/v1/resources").then().statusCode(201).extract().response();
        return new Published(UUID.fromString(response.path("id")), response.path("launchUrl"));
    }

    public static Published publish(String title, String studentMode, String teacherMode) {
        return publish(Map.of("title", title, "kind", "activity", "maxGrade", 10,
                "studentProvisioning", studentMode, "teacherProvisioning", teacherMode));
    }

    public static UUID createAccount(String username, String email, String password) {
        String id = admin().body(Map.of("username", username, "email", email, "password", password,
                "givenName", "Local", "familyName", "User"))
                .post("/api/v1/accounts").then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }
}
