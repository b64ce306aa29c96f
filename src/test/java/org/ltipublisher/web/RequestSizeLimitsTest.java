package org.ltipublisher.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Long login URLs (the TAO DevKit puts a whole deep-linking message into lti_message_hint on a GET) pass, and
 * requests over a size limit get the tool's page with the status and a reason, a log line and a count, over
 * real HTTP (raw sockets where a client would refuse to send the request).
 */
@QuarkusTest
class RequestSizeLimitsTest extends WithPostgres {

    /** Every log line of the service, message and parameters. */
    static final class CapturedLog extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    line.append(' ').append(parameter);
                }
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        String all() {
            return String.join("\n", lines);
        }
    }

    static PlatformSimulator platform;

    @TestHTTPResource("/")
    URL base;

    @Inject
    MeterRegistry metrics;

    private final CapturedLog log = new CapturedLog();

    @BeforeAll
    static void startPlatform() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @BeforeEach
    void capture() {
        Logger.getLogger("").addHandler(log);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(log);
    }

    private double rejections(String limit) {
        return metrics.counter("lti.http.request.too.large", "limit", limit).count();
    }

    /** One request written as bytes, the raw answer read until the server closes or ends it. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (answer.indexOf("</html>") >= 0) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    private static void assertToolPage(String answer, int status, String code, String reasonPart) {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        assertTrue(answer.toLowerCase().contains("content-type: text/html"), answer);
        assertTrue(answer.contains("· LTI Publisher</title>"), "not the tool's page: " + answer);
        assertTrue(answer.contains("<code>" + code + "</code>"), "no reason code " + code + ": " + answer);
        assertTrue(answer.contains(reasonPart), "no human reason '" + reasonPart + "': " + answer);
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    @Test
    void loginByGetWithA12KiBMessageHintCompletesItsLaunch() {
        Registered registration = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published resource = AdminApi.publish("Long hint", "auto", "auto");
        String loginHint = "hint-" + UUID.randomUUID();
        platform.prepare(loginHint, LaunchSpec.resourceLink(registration.issuer(), registration.clientId(),
                registration.deploymentId(), resource.launchUrl(), "long-" + UUID.randomUUID()));
        String hint = "{\"message\":\"" + repeat('x', 12 * 1024) + "\"}";
        Map<String, String> params = new LinkedHashMap<>();
        params.put("iss", registration.issuer());
        params.put("login_hint", loginHint);
        params.put("target_link_uri", resource.launchUrl());
        params.put("lti_message_hint", hint);
        params.put("client_id", registration.clientId());
        LtiBrowser browser = new LtiBrowser();

        Response login = browser.login(params);
        assertEquals(302, login.statusCode(), login.asString());
        String location = login.header("Location");
        assertTrue(location.contains(repeat('x', 12 * 1024)), "the hint is echoed to the platform");
        assertTrue(location.length() < 2 * hint.length(), "the state does not copy the long hint: "
                + location.length());
        Response launch = browser.post(browser.authenticate(location));

        assertEquals(303, launch.statusCode(), launch.asString());
        assertTrue(launch.header("Location").contains("/activity/" + resource.id()), launch.header("Location"));
    }

    @Test
    void urlOverTheLimitGetsTheToolsPageWith414() throws IOException {
        double before = rejections("url");
        String answer = raw("GET /lti/login?iss=x&lti_message_hint=" + repeat('a', 24 * 1024) + " HTTP/1.1\r\n"
                + "Host: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n");

        assertToolPage(answer, 414, "url_too_long", "max-initial-line-length");
        assertEquals(before + 1, rejections("url"));
        assertTrue(log.all().contains("status=414 reason=url_too_long"), log.all());
    }

    @Test
    void oversizeHeadersGetTheToolsPageWith431() throws IOException {
        double before = rejections("headers");
        String answer = raw("GET /lti/login HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                + "Cookie: big=" + repeat('c', 30 * 1024) + "\r\nConnection: close\r\n\r\n");

        assertToolPage(answer, 431, "headers_too_large", "cookies");
        assertEquals(before + 1, rejections("headers"));
        assertTrue(log.all().contains("status=431 reason=headers_too_large"), log.all());
    }

    @Test
    void oversizeBodyGetsTheToolsPageWith413() throws IOException {
        double before = rejections("body");
        String answer = raw("POST /lti/launch HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + (64L * 1024 * 1024)
                + "\r\nConnection: close\r\n\r\nid_token=x&state=");

        assertToolPage(answer, 413, "body_too_large", "max-body-size");
        assertEquals(before + 1, rejections("body"));
        assertTrue(log.all().contains("status=413 reason=body_too_large"), log.all());
    }

    @Test
    void oversizeFormFieldGetsTheToolsPage() throws IOException {
        String body = "state=x&id_token=" + repeat('t', 80 * 1024);
        double before = rejections("body");
        String answer = raw("POST /lti/launch HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);

        assertToolPage(answer, 413, "body_too_large", "max-form-attribute-size");
        assertEquals(before + 1, rejections("body"));
        assertTrue(log.all().contains("status=413 reason=body_too_large"), log.all());
    }

    @Test
    void anApiClientGetsJsonForTheSameLimit() throws IOException {
        String answer = raw("GET /api/v1/resources?q=" + repeat('a', 24 * 1024) + " HTTP/1.1\r\n"
                + "Host: localhost\r\nAccept: application/json\r\nConnection: close\r\n\r\n");

        assertTrue(answer.startsWith("HTTP/1.1 414 "), answer);
        assertTrue(answer.contains("\"error\":\"url_too_long\""), answer);
    }
}
