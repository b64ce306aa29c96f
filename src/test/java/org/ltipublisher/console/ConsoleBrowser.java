package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.ltipublisher.testing.HeadlessChromium;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser, as every browser test drives it: Debian's headless Chromium through Debian's
 * chromedriver (its path is given, so Selenium Manager downloads nothing). Screenshots go to target/screenshots.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String PASSWORD = "a long console password";
    static final Duration NAVIGATION = Duration.ofSeconds(30);

    final WebDriver driver;
    private final String base;

    private ConsoleBrowser(WebDriver driver, URL base) {
        this.driver = driver;
        this.base = base.toString().replaceAll("/$", "");
    }

    static ConsoleBrowser start(URL base) throws IOException, InterruptedException {
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
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        Files.createDirectories(SCREENSHOTS);
        return new ConsoleBrowser(browser, base);
    }

    String url(String path) {
        return base + path;
    }

    void open(String path) {
        driver.get(url(path));
    }

    void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    void fill(String id, String value) {
        var field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    /** A click that stays on the page (a copy button, a checkbox). */
    void click(String css) {
        driver.findElement(By.cssSelector(css)).click();
    }

    /**
     * A click that loads another page (a link, a form's submit), waiting until the page it left is gone and the new
     * one is loaded: chromedriver may return from the click before the navigation commits, and a lookup made in
     * between finds neither page, which a loaded machine turns into a flaky test.
     */
    void clickThrough(String css) {
        clickThrough(By.cssSelector(css));
    }

    void clickThrough(By target) {
        JavascriptExecutor page = (JavascriptExecutor) driver;
        page.executeScript("window.leftByClick = true");
        driver.findElement(target).click();
        // a new document has no such variable; a query made mid-navigation may fail and is retried
        new WebDriverWait(driver, NAVIGATION).ignoring(WebDriverException.class).until(d -> Boolean.TRUE.equals(
                page.executeScript("return window.leftByClick === undefined && document.readyState === 'complete'")));
    }

    /**
     * An empty console, then its first administrator set up through the setup link the log shows, as an operator
     * does on a first start; the browser ends on the dashboard, signed in.
     */
    void setUpFirstAdmin(DataSource db, ConsoleSetupLink setupLink, String username) throws SQLException {
        ConsoleFixture.emptyConsole(db);
        String setupPath = ConsoleFixture.setupPathFromLog(setupLink);
        open(setupPath);
        fill("username", username);
        fill("password", PASSWORD);
        fill("confirmation", PASSWORD);
        clickThrough("button[type=submit]");
        assertEquals("Dashboard", text("h1"), driver.getPageSource());
    }

    @Override
    public void close() {
        driver.quit();
    }
}
