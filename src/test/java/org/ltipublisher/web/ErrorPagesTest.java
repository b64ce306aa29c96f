package org.ltipublisher.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Inputs that break framework limits before any of the tool's code runs, and a failure nobody expected:
 * each answers with the tool's own page (browsers) or JSON (API clients) and a reason, never the
 * framework's bare "Internal Server Error" or "Bad Request".
 */
@QuarkusTest
class ErrorPagesTest extends WithPostgres {

    @TestHTTPResource("/")
    URL base;

    /** The tool's HTML error page with this reason code. */
    static void assertToolPage(Response response, int status, String code) {
        String body = response.asString();
        assertEquals(status, response.statusCode(), body);
        assertTrue(response.contentType().startsWith("text/html"), response.contentType() + ": " + body);
        assertTrue(body.contains("· LTI Publisher</title>"), "not the tool's page: " + body);
        assertTrue(body.contains("<code>" + code + "</code>"), "no reason code " + code + ": " + body);
        assertFalse(body.contains("Internal Server Error"), body);
    }

    /** The tool's JSON error body with this reason code and a message. */
    static void assertToolJson(Response response, int status, String code) {
        String body = response.asString();
        assertEquals(status, response.statusCode(), body);
        assertTrue(response.contentType().startsWith("application/json"), response.contentType() + ": " + body);
        assertEquals(code, response.path("error"), body);
        String message = response.path("message");
        assertNotNull(message, body);
        assertFalse(message.isBlank(), body);
    }

    @Test
    void moreThanAThousandFormFields() {
        StringBuilder form = new StringBuilder("state=x");
        for (int i = 0; i < 1200; i++) {
            form.append("&f").append(i).append("=v");
        }
        Response response = given().accept("text/html").contentType(ContentType.URLENC.withCharset(StandardCharsets.UTF_8))
                .body(form.toString()).post("/lti/launch");
        assertToolPage(response, 400, "too_many_form_fields");
        assertTrue(response.asString().contains("1000"), response.asString());
    }

    @Test
    void badPercentEncodingInAForm() {
        Response response = given().accept("text/html").contentType(ContentType.URLENC.withCharset(StandardCharsets.UTF_8))
                .body("state=%zz&id_token=%E0%A4%A").post("/lti/launch");
        assertToolPage(response, 400, "malformed_encoding");
    }

    @Test
    void badPercentEncodingInAQuery() throws IOException {
        // a request line that is not a URI (RFC 3986 §2.1: % and two hex digits) never reaches the tool: the HTTP
        // server refuses it before routing, with 400 and no body; what matters is that it is not a 500
        assertEquals(400, rawGet("/lti/login?iss=%zz&login_hint=%E0%A4%A", "text/html").status());
        assertEquals(400, rawGet("/api/v1/registrations?x=%zz", "application/json").status());
        // well-formed escapes that are not UTF-8 are decoded leniently and refused for what they mean
        RawResponse page = rawGet("/lti/login?iss=%FF%FE", "text/html");
        assertEquals(400, page.status(), page.body());
        assertTrue(page.body().contains("· LTI Publisher</title>"), "not the tool's page: " + page.body());
    }

    record RawResponse(int status, String body) {
    }

    /** HTTP clients refuse to send a broken %-escape, so this one writes the request line itself. */
    private RawResponse rawGet(String target, String accept) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAccept: " + accept
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            return new RawResponse(status, answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void jsonNestedFiveThousandDeep() {
        String nested = "[".repeat(5000) + "]".repeat(5000);
        // an unknown property is skipped, but the parser still walks it: the nesting limit must answer, not the stack
        Response response = AdminApi.admin()
                .body(("{\"name\": \"deep\", \"extra\": " + nested + "}").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/registrations");
        assertToolJson(response, 400, "malformed_json");
    }

    @Test
    void malformedJson() {
        Response response = AdminApi.admin().body("{\"name\": ").post("/api/v1/registrations");
        assertToolJson(response, 400, "malformed_json");
    }

    @Test
    void anUnexpectedFailureGetsTheToolsPageWithATraceId() {
        Response page = given().accept("text/html").header("X-Request-Id", "trace-for-the-admin-42")
                .get("/test-only/failure");
        assertToolPage(page, 500, "internal_error");
        assertTrue(page.asString().contains("trace-for-the-admin-42"), page.asString());
        assertFalse(page.asString().contains("on purpose"), "no internals on the page: " + page.asString());

        Response json = given().accept("application/json").get("/test-only/failure");
        assertToolJson(json, 500, "internal_error");
        assertTrue(json.<String>path("message").contains(json.header("X-Request-Id")), json.asString());
    }

    @Test
    void frameworkAnswersThatAreNotFailuresStayAsTheyAre() {
        assertEquals(404, given().get("/no-such-page").statusCode());
        assertEquals(401, given().get("/api/v1/registrations").statusCode());
        assertEquals(405, given().delete("/lti/login").statusCode());
    }
}
