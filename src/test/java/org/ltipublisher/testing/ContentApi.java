package org.ltipublisher.testing;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The content application's side of the score API: its credential per resource and the learner's launch token. */
public final class ContentApi {

    public static final String LAUNCH_TOKEN_HEADER = "LTI-Launch-Token";

    private ContentApi() {
    }

    /** A content credential as the admin API shows it once. */
    public record Credential(UUID resourceId, String keyId, String secret) {
    }

    /** Issues a new content credential for the resource (the previous one stops working). */
    public static Credential credential(UUID resourceId) {
        Response issued = AdminApi.admin().post("/api/v1/resources/" + resourceId + "/content-credential")
                .then().statusCode(201).extract().response();
        return new Credential(UUID.fromString(issued.path("resourceId")), issued.path("keyId"), issued.path("secret"));
    }

    /** A request as the content sends it: Basic credential plus the launch token header, JSON both ways. */
    public static RequestSpecification as(Credential credential, String launchToken) {
        RequestSpecification request = given().auth().preemptive().basic(credential.keyId(), credential.secret())
                .contentType(ContentType.JSON).accept(ContentType.JSON);
        return launchToken == null ? request : request.header(LAUNCH_TOKEN_HEADER, launchToken);
    }
}
