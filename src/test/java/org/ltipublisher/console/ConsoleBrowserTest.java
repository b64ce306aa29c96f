package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.HeadlessChromium;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.RegistrationSimulator;
import org.ltipublisher.testing.WithPostgres;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console in a real browser: Debian's headless Chromium driven by Selenium through Debian's chromedriver
 * (its path is given, so Selenium Manager downloads nothing). Screenshots go to target/screenshots.
 */
@QuarkusTest
class ConsoleBrowserTest extends WithPostgres {

    static final String PASSWORD = "a long console password";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static WebDriver browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    @BeforeAll
    static void startBrowser() throws IOException, InterruptedException {
        HeadlessChromium.find(); // installs Chromium (and chromedriver) through .ci/install-chromium.sh if missing
        File driver = new File("/usr/bin/chromedriver");
        if (!driver.canExecute()) {
            throw new AssertionError("/usr/bin/chromedriver is missing: run .ci/install-chromium.sh "
                    + "(installs Debian's chromium and chromium-driver)");
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Files.exists(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "/usr/bin/chromium-browser");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900");
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static void fill(String id, String value) {
        var field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    @Test
    void anAdministratorSetsUpRegistersAPlatformRotatesKeysAndIsSafeFromForeignForms() throws Exception {
        ConsoleFixture.emptyConsole(db);

        // 1. the setup link from the log sets the first administrator's password
        String setupPath = ConsoleFixture.setupPathFromLog(setupLink);
        browser.get(url("/console/signin"));
        screenshot("signin");
        browser.get(url(setupPath));
        screenshot("setup");
        fill("username", "head-of-it");
        fill("password", PASSWORD);
        fill("confirmation", PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        assertEquals("Dashboard", text("h1"), browser.getPageSource());
        assertTrue(text("header").contains("head-of-it"));
        screenshot("dashboard");

        // 2. a new registration in the UI, completed by the Moodle-shaped platform with the URL from the page
        try (PlatformSimulator platform = new PlatformSimulator()) {
            RegistrationSimulator moodle = new RegistrationSimulator(platform, RegistrationSimulator.Family.MOODLE);
            browser.findElement(By.linkText("Registrations")).click();
            String name = "Moodle of Example School " + UUID.randomUUID().toString().substring(0, 8);
            fill("name", name);
            screenshot("registrations");
            browser.findElement(By.id("create-registration")).click();
            String registrationUrl = browser.findElement(By.id("registration-url")).getAttribute("value");
            assertTrue(registrationUrl.contains("/lti/register/"), registrationUrl);
            assertTrue(text("#tool-login").endsWith("/lti/login"), text("#tool-login"));
            assertTrue(text("#tool-jwks").endsWith("/.well-known/jwks.json"), text("#tool-jwks"));
            browser.findElement(By.id("copy-registration-url")).click();
            assertEquals("Copied", text("#copy-registration-url"));
            screenshot("new-registration");

            // the LMS opens the pasted URL with its configuration and registration token (DR 1.0 §3.1)
            browser.get(registrationUrl + (registrationUrl.contains("?") ? "&" : "?") + "openid_configuration="
                    + java.net.URLEncoder.encode(moodle.configurationUrl(), StandardCharsets.UTF_8)
                    + "&registration_token=" + moodle.registrationToken);
            assertTrue(browser.getPageSource().contains(moodle.clientId), browser.getPageSource());
            assertEquals(1, moodle.calls().size());

            browser.get(url("/console/registrations"));
            String row = browser.findElements(By.cssSelector("#registrations tbody tr")).stream()
                    .map(r -> r.getText()).filter(t -> t.contains(name)).findFirst().orElseThrow();
            assertTrue(row.contains("ACTIVE") && row.contains(platform.issuer()), row);
            screenshot("registrations-after");
        }

        // 3. rotation from the Keys page: the next key signs, the old one is retired but still published
        browser.get(url("/console/keys"));
        String activeBefore = text("#keys tr.ACTIVE code");
        browser.findElement(By.id("rotate")).click();
        Eventually.await(Duration.ofSeconds(20), () -> browser.getCurrentUrl().endsWith("/console/keys"),
                () -> "back on the keys page, not " + browser.getCurrentUrl());
        String activeAfter = text("#keys tr.ACTIVE code");
        assertNotEquals(activeBefore, activeAfter);
        assertTrue(browser.findElements(By.cssSelector("#keys tr.RETIRED code")).stream()
                .anyMatch(e -> e.getText().equals(activeBefore)));
        screenshot("keys");

        // 4. a page of another origin posts to the console in the same browser: refused, nothing changed
        long keysBefore = DbCounts.scalar(db, "select count(*) from tool_key");
        HttpServer attacker = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        String target = url("/console/keys/rotate");
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
            screenshot("csrf-refused");
        } finally {
            attacker.stop(0);
        }
        assertEquals(keysBefore, DbCounts.scalar(db, "select count(*) from tool_key"));
        browser.get(url("/console/keys"));
        assertEquals(activeAfter, text("#keys tr.ACTIVE code"));

        // 5. sign-out ends the session: the console asks to sign in again
        browser.findElement(By.cssSelector(".signout button")).click();
        browser.get(url("/console"));
        assertTrue(browser.getCurrentUrl().endsWith("/console/signin"), browser.getCurrentUrl());
    }
}
