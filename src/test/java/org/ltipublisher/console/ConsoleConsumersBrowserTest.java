package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.legacy.Lti11Identity;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.WithPostgres;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The LTI 1.1 consumers and accounts screens in a real browser ({@link ConsoleBrowser}): a new consumer whose copied
 * key and secret an LMS then launches with, and that learner's account found by search and unlinked.
 */
@QuarkusTest
class ConsoleConsumersBrowserTest extends WithPostgres {

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    @Test
    void anAdministratorCreatesAConsumerCopiesItsSecretThenFindsItsLearnerAndUnlinksThem() throws Exception {
        try (ConsoleBrowser console = ConsoleBrowser.start(base)) {
            WebDriver browser = console.driver;
            console.setUpFirstAdmin(db, setupLink, "lti11-operator");

            // 1. a new consumer: key and secret shown once, with copy buttons
            console.clickThrough("nav a[href='/console/consumers']");
            String name = "Canvas of the district " + UUID.randomUUID().toString().substring(0, 8);
            console.fill("name", name);
            console.clickThrough("#create-consumer");
            String key = browser.findElement(By.id("consumer-key")).getAttribute("value");
            String secret = browser.findElement(By.id("consumer-secret")).getAttribute("value");
            String launchUrl = browser.findElement(By.id("launch-url")).getAttribute("value");
            assertTrue(secret.length() >= 40, secret);
            console.click("#copy-consumer-secret");
            assertEquals("Copied", console.text("#copy-consumer-secret"));
            console.screenshot("console-consumers");

            // the consumer's page, and a reload of it, never show the secret again
            console.clickThrough("#consumer-page");
            assertEquals(key, console.text("#key"));
            assertFalse(browser.getPageSource().contains(secret));
            browser.navigate().refresh();
            assertFalse(browser.getPageSource().contains(secret));

            // 2. the LMS, given the copied key and secret, launches a learner
            Published res = AdminApi.publish("Week 1 problem", "auto", "auto");
            String user = "learner-" + UUID.randomUUID();
            UUID consumerId = UUID.fromString(DbCounts.text(db, "select id::text from lti_consumer where consumer_key = ?", key));
            try (ConsumerSimulator lms = new ConsumerSimulator(key, secret)) {
                String url = launchUrl.replace("{resourceId}", res.id().toString());
                HttpResponse<String> launch = lms.post(url, lms.sign(url, ConsumerSimulator.basicLaunch(user, "rl-week-1")));
                assertEquals(303, launch.statusCode(), launch.body());
            }
            String username = DbCounts.text(db, "select a.username from account a join platform_user p on p.account_id = a.id "
                    + "where p.issuer = ? and p.subject = ?", Lti11Identity.issuer(consumerId), user);

            // 3. that learner's account, found by search, and its platform user unlinked
            console.clickThrough("nav a[href='/console/accounts']");
            console.fill("q", username);
            console.clickThrough("#search");
            console.clickThrough(By.linkText(username));
            String links = console.text("#platform-users");
            assertTrue(links.contains(user) && links.contains(name), links);
            console.screenshot("console-accounts");
            console.clickThrough("#platform-users button");
            assertTrue(console.text("#platform-users").contains("No platform user is linked"), console.text("#platform-users"));
            assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", user));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from account where username = ?", username));
        }
    }
}
