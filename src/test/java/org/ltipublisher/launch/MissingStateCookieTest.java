package org.ltipublisher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

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
import org.ltipublisher.testing.LtiBrowser.PlatformForm;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A genuine state whose browser cookie did not come back is not called tampering: the person is told the
 * cookie is missing, why that happens and what to do, under its own reason code.
 */
@QuarkusTest
class MissingStateCookieTest extends WithPostgres {

    static PlatformSimulator platform;

    @Inject
    DataSource db;

    @BeforeAll
    static void startPlatform() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    private PlatformForm loggedIn(LtiBrowser browser) {
        Registered registration = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published resource = AdminApi.publish("Cookies", "auto", "auto");
        return browser.loginAndAuthenticate(platform, registration, resource.launchUrl(),
                LaunchSpec.resourceLink(registration.issuer(), registration.clientId(), registration.deploymentId(),
                        resource.launchUrl(), "cookie-" + UUID.randomUUID()));
    }

    @Test
    void missingCookieSaysWhyAndWhatToDo() {
        LtiBrowser browser = new LtiBrowser().json();
        PlatformForm form = loggedIn(browser);
        DbCounts before = DbCounts.of(db);
        browser.cookies().clear();

        Response refused = browser.post(form);

        assertEquals(400, refused.statusCode(), refused.asString());
        assertEquals("missing_state_cookie", refused.path("error"));
        String message = refused.path("message");
        assertTrue(message.contains("did not send the tool's login cookie"), message);
        assertTrue(message.contains("third-party cookies"), message);
        assertTrue(message.contains("another browser or window"), message);
        assertTrue(message.contains("took longer than"), message);
        assertTrue(message.contains("Open the activity in a new window"), message);
        assertTrue(message.contains("allow cookies"), message);
        assertTrue(message.contains("start the activity again from the course"), message);
        assertTrue(!message.contains("not issued by this tool"), message);
        assertEquals(before, DbCounts.of(db), "a refused launch stores nothing");
    }

    @Test
    void missingCookiePageOffersANewWindow() {
        LtiBrowser browser = new LtiBrowser();
        PlatformForm form = loggedIn(browser);
        browser.cookies().clear();

        Response refused = browser.post(form);

        assertEquals(400, refused.statusCode(), refused.asString());
        String page = refused.asString();
        assertTrue(page.contains("<code>missing_state_cookie</code>"), page);
        assertTrue(page.contains("Open in a new window"), page);
    }

    @Test
    void alteredStateIsStillReportedAsAltered() {
        LtiBrowser browser = new LtiBrowser().json();
        PlatformForm form = loggedIn(browser);
        String state = form.fields().get("state");
        String altered = state.substring(0, state.length() - 4) + (state.endsWith("AAAA") ? "BBBB" : "AAAA");

        Response refused = browser.post(form.with("state", altered));

        assertEquals(400, refused.statusCode(), refused.asString());
        assertEquals("invalid_state", refused.path("error"));
    }
}
