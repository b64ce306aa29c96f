package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.admission.LaunchTally;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard in a real browser: the same Chromium runs a launch from the simulated platform (login at the tool,
 * the platform's auto-posted form, the content) and a refused one, and the operator then sees both counted.
 */
@QuarkusTest
class ConsoleDashboardBrowserTest extends WithPostgres {

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    @Inject
    LaunchTally tally;

    @Test
    void aLaunchAndARefusedLaunchFromTheLmsShowOnTheDashboard() throws Exception {
        tally.flush();
        ConsoleFixture.sql(db, "delete from launch_count");
        try (PlatformSimulator platform = new PlatformSimulator(); ConsoleBrowser console = ConsoleBrowser.start(base)) {
            WebDriver browser = console.driver;
            Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
            Published res = AdminApi.publish("Fractions, unit 1", "auto", "auto");

            // a learner clicks the link in the LMS: login at the tool, the platform's form, the content
            console.open(login(platform, reg, res, "dep-1"));
            Eventually.await(Duration.ofSeconds(30), () -> browser.getCurrentUrl().contains("launch_token="),
                    () -> "not in the content: " + browser.getCurrentUrl() + " " + browser.getPageSource());

            // a link placed in a deployment the registration does not know: refused, with its reason
            console.open(login(platform, reg, res, "dep-unknown"));
            Eventually.await(Duration.ofSeconds(30), () -> browser.getPageSource().contains("unknown_deployment"),
                    () -> "no refusal page: " + browser.getPageSource());

            tally.flush(); // as the 15 s flush would
            console.setUpFirstAdmin(db, setupLink, "operator");
            String launches = console.text("#launches");
            assertTrue(launches.contains("LTI 1.3: Launched into the content 1"), launches);
            assertTrue(launches.contains("LTI 1.3: Refused 1"), launches);
            String refusals = console.text("#refusals");
            assertTrue(refusals.contains("unknown_deployment LTI 1.3 1"), refusals);
            assertTrue(console.text("#readiness").contains("Ready"), console.text("#readiness"));
            browser.manage().window().setSize(new Dimension(1280, 1500));
            console.screenshot("console-dashboard");
        }
    }

    /** The LMS's initiate-login request for a resource link of this deployment (Security Framework §5.1.1.1). */
    private static String login(PlatformSimulator platform, Registered reg, Published res, String deploymentId) {
        String hint = "hint-" + UUID.randomUUID();
        platform.prepare(hint, LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), deploymentId, res.launchUrl(),
                "learner-" + UUID.randomUUID()));
        return "/lti/login?iss=" + encode(reg.issuer()) + "&login_hint=" + hint + "&target_link_uri="
                + encode(res.launchUrl()) + "&client_id=" + encode(reg.clientId());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
