package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.WithPostgres;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Published content in a real browser: publish, copy the launch URL, edit the settings, see it in the list. */
@QuarkusTest
class ConsoleContentBrowserTest extends WithPostgres {

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    @Test
    void anAdministratorPublishesContentCopiesItsLaunchUrlAndEditsItsSettings() throws Exception {
        try (ConsoleBrowser console = ConsoleBrowser.start(base)) {
            WebDriver browser = console.driver;
            console.setUpFirstAdmin(db, setupLink, "content-admin");

            // publish from the list page
            console.clickThrough(By.linkText("Published content"));
            assertEquals("Published content", console.text("h1"));
            String title = "Fractions course " + UUID.randomUUID().toString().substring(0, 8);
            console.fill("title", title);
            new Select(browser.findElement(By.id("kind"))).selectByValue("course");
            console.fill("maxGrade", "20");
            browser.findElement(By.id("gradeSync")).click();
            console.clickThrough("#publish");

            // the launch URL and custom parameter, each with a copy button
            assertTrue(console.text("h1").contains(title), browser.getPageSource());
            UUID id = UUID.fromString(DbCounts.text(db, "select cast(id as text) from published_resource where title = ?",
                    title));
            String launchUrl = browser.findElement(By.id("launch-url")).getAttribute("value");
            assertTrue(launchUrl.endsWith("/" + id) && launchUrl.startsWith(console.url("/")), launchUrl);
            assertEquals("id=" + id, browser.findElement(By.id("custom-parameter")).getAttribute("value"));
            console.click("#copy-launch-url");
            assertEquals("Copied", console.text("#copy-launch-url"));
            // a unit under it, as a content developer's script adds it (the HTTP test adds children from the page)
            String unit = "Unit: halves " + UUID.randomUUID().toString().substring(0, 8);
            AdminApi.admin().body(Map.of("title", unit, "kind", "unit")).post("/api/v1/resources/" + id + "/children")
                    .then().statusCode(201);

            // its settings: learners must link an account, member sync on (new users only), at most 25 learners
            console.clickThrough("#open-resource");
            new Select(browser.findElement(By.id("studentProvisioning"))).selectByValue("prompt");
            browser.findElement(By.id("memberSync")).click();
            new Select(browser.findElement(By.id("memberSyncMode"))).selectByValue("enrol-new");
            console.fill("maxEnrolled", "25");
            console.fill("defaultTimezone", "Europe/Paris");
            console.clickThrough("#save-settings");
            assertTrue(browser.getCurrentUrl().endsWith("/console/content/" + id), browser.getCurrentUrl());
            assertEquals("prompt", new Select(browser.findElement(By.id("studentProvisioning")))
                    .getFirstSelectedOption().getAttribute("value"));
            assertTrue(browser.findElement(By.id("memberSync")).isSelected());
            assertEquals("25", browser.findElement(By.id("maxEnrolled")).getAttribute("value"));
            assertTrue(console.text("#children").contains(unit), console.text("#children"));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from published_resource where id = ? and member_sync "
                    + "and grade_sync and member_sync_mode = 'ENROL_NEW' and max_enrolled = 25 "
                    + "and student_provisioning = 'PROMPT'", id));

            console.screenshot("console-content-detail");

            // the list: the course with its launch URL, the unit indented under it
            console.clickThrough(By.linkText("Published content"));
            String rows = console.text("#content tbody");
            assertTrue(rows.contains(title) && rows.contains(launchUrl) && rows.indexOf(title) < rows.indexOf(unit), rows);
            console.screenshot("console-content");
        }
    }
}
