package org.ltipublisher.launch;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Launches with third-party cookies blocked (1EdTech LTI Client Side postMessages and OIDC Login with LTI Client Side postMessages): the pages' protocol checked over HTTP, the
 * browser's script part played by the test (the headless Chromium test runs the real script).
 */
@QuarkusTest
class PlatformStorageLaunchTest extends WithPostgres {

    static final Pattern DATA = Pattern.compile("data-([a-z]+)=\"([^\"]*)\"");

    static PlatformSimulator platform;

    @Inject
    DataSource db;

    @BeforeAll
    static void start() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    static Map<String, String> data(String html) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = DATA.matcher(html);
        while (m.find()) {
            values.put(m.group(1), m.group(2).replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\""));
        }
        return values;
    }

    private Map<String, String> loginParams(Registered reg, String target, String loginHint, String storageTarget) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("iss", reg.issuer());
        params.put("login_hint", loginHint);
        params.put("target_link_uri", target);
        params.put("client_id", reg.clientId());
        if (storageTarget != null) {
            params.put("lti_storage_target", storageTarget);
        }
        return params;
    }

    @Test
    void withoutCookiesTheLaunchCompletesThroughPlatformStorage() {
        Registered reg = AdminApi.register(platform, "storage-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("Storage activity", "auto", "auto");
        String sub = "safari-" + UUID.randomUUID();
        String hint = "hint-" + UUID.randomUUID();
        platform.prepare(hint, LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(), sub));
        LtiBrowser browser = new LtiBrowser();

        Response login = browser.login(loginParams(reg, res.launchUrl(), hint, "post_message_forwarding"));

        assertEquals(200, login.statusCode(), login.asString());
        assertTrue(login.header("Set-Cookie").contains("Partitioned"), login.header("Set-Cookie"));
        Map<String, String> store = data(login.asString());
        assertEquals("post_message_forwarding", store.get("target"));
        assertEquals(platform.issuer(), store.get("origin"), "addressed to the origin of the auth endpoint");
        assertTrue(store.get("key").startsWith("lti_state_"));
        assertNotNull(store.get("value"));
        assertTrue(store.get("location").startsWith(platform.authUrl() + "?"));
        login.then().body(containsString("/lti-storage.js"));

        // the browser blocks third-party cookies: the state cookie never comes back
        browser.cookies().clear();
        LtiBrowser.PlatformForm form = browser.authenticate(store.get("location"));
        Response read = browser.post(form);
        assertEquals(200, read.statusCode(), read.asString());
        Map<String, String> get = data(read.asString());
        assertEquals(store.get("key"), get.get("key"));
        assertEquals(store.get("origin"), get.get("origin"));
        read.then().body(containsString("name=\"lti_storage_proof\""));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub),
                "nothing is written before the proof");

        // the script read the secret back from the platform and posts it with the launch
        Response launch = browser.post(form.with("lti_storage_proof", store.get("value")));

        assertEquals(303, launch.statusCode(), launch.asString());
        assertTrue(launch.header("Location").contains("/activity/" + res.id()));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub));
    }

    @Test
    void aWrongStorageProofIsRefusedAndStoresNothing() {
        Registered reg = AdminApi.register(platform, "storage-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("Storage forged", "auto", "auto");
        String hint = "hint-" + UUID.randomUUID();
        platform.prepare(hint, LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(),
                "forged-" + UUID.randomUUID()));
        LtiBrowser browser = new LtiBrowser().json();
        Map<String, String> store = data(browser.login(loginParams(reg, res.launchUrl(), hint, "_parent")).asString());
        browser.cookies().clear();
        LtiBrowser.PlatformForm form = browser.authenticate(store.get("location"));
        DbCounts before = DbCounts.of(db);

        Response forged = browser.post(form.with("lti_storage_proof", "guessed-" + UUID.randomUUID()));

        assertEquals(400, forged.statusCode());
        assertEquals("state_mismatch", forged.path("error"));
        assertEquals(before, DbCounts.of(db));
    }

    @Test
    void withoutCookieAndWithoutStorageAPageOffersANewWindow() {
        Registered reg = AdminApi.register(platform, "nocookie-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("No cookie", "auto", "auto");
        String hint = "hint-" + UUID.randomUUID();
        platform.prepare(hint, LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(),
                "nocookie-" + UUID.randomUUID()));
        LtiBrowser browser = new LtiBrowser();
        Response login = browser.login(loginParams(reg, res.launchUrl(), hint, null));
        assertEquals(302, login.statusCode());
        assertTrue(login.header("Set-Cookie").contains("; Partitioned"), login.header("Set-Cookie"));
        browser.cookies().clear();
        LtiBrowser.PlatformForm form = browser.authenticate(login.header("Location"));
        DbCounts before = DbCounts.of(db);

        Response page = browser.post(form);

        assertEquals(400, page.statusCode());
        page.then().body(containsString("blocks third-party cookies"))
                .body(containsString("Open in a new window"))
                .body(containsString("target=\"_blank\""))
                .body(containsString("/lti/login?iss=" + java.net.URLEncoder.encode(reg.issuer(),
                        java.nio.charset.StandardCharsets.UTF_8)))
                .body(containsString("login_hint=" + hint));
        assertEquals(before, DbCounts.of(db));
    }
}
