package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.RegistrationSimulator;
import org.ltipublisher.testing.WithPostgres;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console in a real browser ({@link ConsoleBrowser}): first start, a registration, key rotation, a foreign form
 * and sign-out.
 */
@QuarkusTest
class ConsoleBrowserTest extends WithPostgres {

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    @Test
    void anAdministratorSetsUpRegistersAPlatformRotatesKeysAndIsSafeFromForeignForms() throws Exception {
        try (ConsoleBrowser console = ConsoleBrowser.start(base)) {
            walkThrough(console, console.driver);
        }
    }

    private void walkThrough(ConsoleBrowser console, WebDriver browser) throws Exception {
        ConsoleFixture.emptyConsole(db);

        // 1. the setup link from the log sets the first administrator's password
        String setupPath = ConsoleFixture.setupPathFromLog(setupLink);
        browser.get(console.url("/console/signin"));
        console.screenshot("signin");
        browser.get(console.url(setupPath));
        console.screenshot("setup");
        console.fill("username", "head-of-it");
        console.fill("password", ConsoleBrowser.PASSWORD);
        console.fill("confirmation", ConsoleBrowser.PASSWORD);
        console.clickThrough("button[type=submit]");
        assertEquals("Dashboard", console.text("h1"), browser.getPageSource());
        assertTrue(console.text("header").contains("head-of-it"));
        console.screenshot("dashboard");

        // 2. a new registration in the UI, completed by the Moodle-shaped platform with the URL from the page
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, RegistrationSimulator.Family.MOODLE);
            console.clickThrough(By.linkText("Registrations"));
            String name = "Moodle of Example School " + UUID.randomUUID().toString().substring(0, 8);
            console.fill("name", name);
            console.screenshot("registrations");
            console.clickThrough("#create-registration");
            String registrationUrl = browser.findElement(By.id("registration-url")).getAttribute("value");
            assertTrue(registrationUrl.contains("/lti/register/"), registrationUrl);
            assertTrue(console.text("#tool-login").endsWith("/lti/login"), console.text("#tool-login"));
            assertTrue(console.text("#tool-jwks").endsWith("/.well-known/jwks.json"), console.text("#tool-jwks"));
            browser.findElement(By.id("copy-registration-url")).click();
            assertEquals("Copied", console.text("#copy-registration-url"));
            console.screenshot("new-registration");

            // the LMS opens the pasted URL with its configuration and registration token (DR 1.0 §3.1)
            browser.get(registrationUrl + (registrationUrl.contains("?") ? "&" : "?") + "openid_configuration="
                    + java.net.URLEncoder.encode(moodle.configurationUrl(), StandardCharsets.UTF_8)
                    + "&registration_token=" + moodle.registrationToken);
            assertTrue(browser.getPageSource().contains(moodle.clientId), browser.getPageSource());
            assertEquals(1, moodle.calls().size());

            browser.get(console.url("/console/registrations"));
            String row = browser.findElements(By.cssSelector("#registrations tbody tr")).stream()
                    .map(r -> r.getText()).filter(t -> t.contains(name)).findFirst().orElseThrow();
            assertTrue(row.contains("ACTIVE") && row.contains(platform.issuer()), row);
            console.screenshot("registrations-after");
        }

        // 3. rotation from the Keys page: the next key signs, the old one is retired but still published
        browser.get(console.url("/console/keys"));
        String activeBefore = console.text("#keys tr.ACTIVE code");
        console.clickThrough("#rotate");
        Eventually.await(Duration.ofSeconds(20), () -> browser.getCurrentUrl().endsWith("/console/keys"),
                () -> "back on the keys page, not " + browser.getCurrentUrl());
        String activeAfter = console.text("#keys tr.ACTIVE code");
        assertNotEquals(activeBefore, activeAfter);
        assertTrue(browser.findElements(By.cssSelector("#keys tr.RETIRED code")).stream()
                .anyMatch(e -> e.getText().equals(activeBefore)));
        console.screenshot("keys");

        // 4. a page of another origin posts to the console in the same browser: refused, nothing changed
        long keysBefore = DbCounts.scalar(db, "select count(*) from tool_key");
        HttpServer attacker = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        String target = console.url("/console/keys/rotate");
        attacker.createContext("/", exchange -> {
            byte[] page = ("<!DOCTYPE html><html><body><form id=f method=post action=\"" + target + "\">"
                    + "<input type=hidden name=csrf-token value=guessed></form>"
                    + "<script>document.getElementById('f').submit()</script></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        attacker.start();
        try {
            browser.get("http://localhost:" + attacker.getAddress().getPort() + "/");
            Eventually.await(Duration.ofSeconds(20), () -> browser.getCurrentUrl().startsWith(target),
                    () -> "the foreign form posted, still at " + browser.getCurrentUrl());
            String refusal = browser.getPageSource();
            assertTrue(refusal.contains("refused and nothing changed"), refusal);
            console.screenshot("csrf-refused");
        } finally {
            attacker.stop(0);
        }
        assertEquals(keysBefore, DbCounts.scalar(db, "select count(*) from tool_key"));
        browser.get(console.url("/console/keys"));
        assertEquals(activeAfter, console.text("#keys tr.ACTIVE code"));

        // 5. sign-out ends the session: the console asks to sign in again
        console.clickThrough(".signout button");
        browser.get(console.url("/console"));
        assertTrue(browser.getCurrentUrl().endsWith("/console/signin"), browser.getCurrentUrl());
    }
}
