package org.ltipublisher.registration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.RegistrationSimulator;
import org.ltipublisher.testing.RegistrationSimulator.Family;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Platform URLs at addresses the tool must not call (its own host, private networks, cloud metadata),
 * given through dynamic registration by a browser or by an administrator: refused with a clean 4xx
 * that stores nothing, and the registration page says the same for every unreachable address, so it
 * cannot be used to scan the tool's network.
 */
@QuarkusTest
class PlatformAddressTest extends WithPostgres {

    @Inject
    DataSource db;

    record Pending(UUID id, String path) {
    }

    static Pending createPending(String name) {
        Response created = AdminApi.admin().body(Map.of("name", name)).post("/api/v1/registrations")
                .then().statusCode(201).extract().response();
        return new Pending(UUID.fromString(created.path("id")), URI.create(created.path("registrationUrl")).getPath());
    }

    static Response open(Pending pending, RegistrationSimulator platform) {
        return open(pending.path(), platform.configurationUrl(), platform.registrationToken);
    }

    static Response open(String path, String configurationUrl, String registrationToken) {
        return given().redirects().follow(false).queryParam("openid_configuration", configurationUrl)
                .queryParam("registration_token", registrationToken).get(path);
    }

    private String issuer(UUID registrationId) {
        return DbCounts.text(db, "select issuer from registration where id = ?", registrationId);
    }

    @Test
    void dynamicRegistrationRefusesNonPublicConfigurationUrls() {
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Private " + UUID.randomUUID());
            DbCounts before = DbCounts.of(db);
            for (String url : List.of("http://[fd00::1]/config", "http://100.64.0.1/config", "http://198.18.0.1/config",
                    "http://[fe80::1%25eth0]/config", "http://127.0.0.2:" + port(platform) + "/config",
                    "http://169.254.169.254/latest/meta-data", "http://[::ffff:10.0.0.1]/config", "http://0.0.0.0/x")) {
                Response page = open(pending.path(), url, moodle.registrationToken);
                assertEquals(400, page.statusCode(), url + ": " + page.asString());
                assertTrue(page.contentType().startsWith("text/html"), url);
                String body = page.asString();
                assertTrue(body.contains("local_platform_url") || body.contains("invalid_platform_url"), url + ": " + body);
            }
            assertEquals(before, DbCounts.of(db), "nothing stored");
            assertNull(issuer(pending.id()));
            Response usable = open(pending, moodle);
            assertEquals(200, usable.statusCode(), "the registration URL still works: " + usable.asString());
        }
    }

    @Test
    void closedPortsAndSilentPortsLookTheSame() throws IOException {
        try (PlatformSimulator platform = new PlatformSimulator(); ServerSocket silent = new ServerSocket(0, 50,
                InetAddress.getByName("127.0.0.1"))) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, Family.MOODLE);
            Pending pending = createPending("Scan " + UUID.randomUUID());
            String closed;
            try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
                closed = "http://127.0.0.1:" + gone.getLocalPort() + "/config";
            }
            // accepts the connection (the kernel's backlog) and never answers: the fetch deadline ends it
            String hangs = "http://127.0.0.1:" + silent.getLocalPort() + "/config";

            Response closedPage = open(pending.path(), closed, moodle.registrationToken);
            Response silentPage = open(pending.path(), hangs, moodle.registrationToken);

            assertEquals(502, closedPage.statusCode());
            assertEquals(502, silentPage.statusCode());
            assertEquals(message(closedPage).replace(closed, "URL"), message(silentPage).replace(hangs, "URL"),
                    "a refused and a silent port give the same answer");
            assertTrue(message(closedPage).contains("check the URL and that the tool can reach it"), message(closedPage));
            assertTrue(!closedPage.asString().contains("Connect") && !silentPage.asString().contains("timeout"),
                    "no connection detail is echoed");
            assertNull(issuer(pending.id()));
        }
    }

    private static String message(Response page) {
        String body = page.asString();
        int at = body.indexOf("cannot be reached");
        int start = body.lastIndexOf(">", at) + 1;
        return body.substring(start, body.indexOf("<", at)).trim();
    }

    private static int port(PlatformSimulator platform) {
        return Integer.parseInt(platform.issuer().substring(platform.issuer().lastIndexOf(':') + 1));
    }

    @Test
    void manualRegistrationRefusesPrivateHostsNamingTheField() {
        String id = AdminApi.admin().body(Map.of("name", "Manual " + UUID.randomUUID())).post("/api/v1/registrations")
                .then().statusCode(201).extract().path("id");
        Map<String, String> good = Map.of("issuer", "http://127.0.0.1:9/lms", "clientId", "c-" + UUID.randomUUID(),
                "authenticationRequestUrl", "http://127.0.0.1:9/auth", "accessTokenUrl", "http://127.0.0.1:9/token",
                "jwksUrl", "http://127.0.0.1:9/jwks");
        for (Map.Entry<String, String> bad : List.of(Map.entry("jwksUrl", "https://10.0.0.5/jwks"),
                Map.entry("accessTokenUrl", "https://[fd00::1]/token"),
                Map.entry("authenticationRequestUrl", "http://127.0.0.2:9/auth"),
                Map.entry("jwksUrl", "https://169.254.169.254/latest/meta-data"))) {
            Map<String, String> details = new HashMap<>(good);
            details.put(bad.getKey(), bad.getValue());
            Response refused = AdminApi.admin().body(details).put("/api/v1/registrations/" + id + "/platform");
            assertEquals(422, refused.statusCode(), bad + ": " + refused.asString());
            assertEquals("private_address", refused.path("error"), refused.asString());
            assertTrue(refused.<String>path("message").startsWith(bad.getKey() + " "), refused.asString());
            assertNull(issuer(UUID.fromString(id)), "nothing stored");
        }
        AdminApi.admin().body(good).put("/api/v1/registrations/" + id + "/platform").then().statusCode(200);
    }
}
