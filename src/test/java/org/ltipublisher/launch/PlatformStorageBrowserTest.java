package org.ltipublisher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.HeadlessChromium;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * A real browser (headless Chromium) with every cookie blocked launches the tool inside a simulated course
 * page on another site; the course page implements LTI platform storage (current and legacy subjects) and
 * the tool's login and launch pages store and read back the state through it (1EdTech LTI Client Side postMessages, lti.put_data / lti.get_data).
 */
@QuarkusTest
class PlatformStorageBrowserTest extends WithPostgres {

    static PlatformSimulator platform;
    static final List<String> storageCalls = new CopyOnWriteArrayList<>();

    @Inject
    DataSource db;

    @BeforeAll
    static void start() {
        platform = new PlatformSimulator();
        platform.route("/storage-log", exchange -> {
            storageCalls.add(exchange.getRequestURI().getQuery());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** The LMS course page: the tool in an iframe, and the storage side of the postMessage protocol. */
    static String coursePage(String toolLoginUrl, boolean legacyOnly) {
        return "<!DOCTYPE html><html><head><title>Course</title></head><body><h1>Course</h1>"
                + "<iframe name=\"tool\" id=\"tool\" width=\"900\" height=\"600\"></iframe><script>\n"
                + "var store = {};\n"
                + "var legacyOnly = " + legacyOnly + ";\n"
                + "function log(op, key) { fetch('/storage-log?op=' + op + '&key=' + encodeURIComponent(key)); }\n"
                + "window.addEventListener('message', function (e) {\n"
                + "  var d = e.data || {}; var subject = String(d.subject || '');\n"
                + "  var legacy = subject.indexOf('org.imsglobal.') === 0;\n"
                + "  if (legacyOnly && !legacy) { return; }\n"
                + "  var name = legacy ? subject.substring('org.imsglobal.'.length) : subject;\n"
                + "  if (name === 'lti.put_data') { store[e.origin + ' ' + d.key] = d.value; log('put', d.key);\n"
                + "    e.source.postMessage({subject: subject + '.response', message_id: d.message_id, key: d.key, value: d.value}, e.origin); }\n"
                + "  else if (name === 'lti.get_data') { log('get', d.key);\n"
                + "    e.source.postMessage({subject: subject + '.response', message_id: d.message_id, key: d.key, value: store[e.origin + ' ' + d.key]}, e.origin); }\n"
                + "});\n"
                + "document.getElementById('tool').src = " + jsString(toolLoginUrl) + ";\n"
                + "</script></body></html>";
    }

    static String jsString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private void launchInBrowser(boolean legacyOnly) throws Exception {
        Registered reg = AdminApi.register(platform, "chromium-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("Browser activity", "auto", "auto");
        String sub = "chromium-" + UUID.randomUUID();
        String hint = "hint-" + UUID.randomUUID();
        // the tool on http://localhost, the platform on http://127.0.0.1: different sites, as in an LMS iframe
        String toolBase = "http://localhost:" + RestAssured.port;
        String target = toolBase + res.launchUrl().substring(res.launchUrl().indexOf("/lti/resources/"));
        platform.prepare(hint, LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", target, sub));
        String login = toolBase + "/lti/login?" + Map.of("iss", reg.issuer(), "login_hint", hint,
                "target_link_uri", target, "client_id", reg.clientId(), "lti_storage_target", "_parent")
                .entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String path = "/course-" + UUID.randomUUID();
        String page = coursePage(login, legacyOnly);
        platform.route(path, exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=UTF-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        storageCalls.clear();

        String browserLog;
        try (HeadlessChromium.Window window = HeadlessChromium.find().blockAllCookies().open(platform.issuer() + path)) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub) == 0
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            browserLog = window.log();
        }
        assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub),
                "the launch did not complete in the browser; storage calls seen: " + storageCalls
                        + "; auth requests: " + platform.authRequests().size() + "; browser log:\n" + browserLog);
        assertTrue(storageCalls.stream().anyMatch(c -> c.startsWith("op=put&key=lti_state_")), storageCalls.toString());
        assertTrue(storageCalls.stream().anyMatch(c -> c.startsWith("op=get&key=lti_state_")),
                "with cookies blocked the launch page had to read the state back: " + storageCalls);
    }

    @Test
    void launchCompletesWithCookiesBlockedThroughPlatformStorage() throws Exception {
        launchInBrowser(false);
    }

    @Test
    void platformsThatOnlyKnowTheLegacySubjectsWorkToo() throws Exception {
        launchInBrowser(true);
    }
}
