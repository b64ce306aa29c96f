package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.IdentityProviderSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** An administrator of the school's identity provider signs into the console in real headless Chromium. */
@QuarkusTest
@TestProfile(ConsoleOidcProfile.class)
class ConsoleOidcBrowserTest extends WithPostgres {

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource db;

    IdentityProviderSimulator provider;

    @Test
    void anIdentityProviderAdministratorSignsInWithOneClickAndLandsOnTheDashboard() throws Exception {
        ConsoleFixture.emptyConsole(db);
        provider.signIn(ConsoleOidcSignInTest.ADMIN);
        try (ConsoleBrowser console = ConsoleBrowser.start(base)) {
            console.open("/console/signin");
            assertEquals("Sign in with School IdP", console.text("#oidc-signin"));
            console.screenshot("console-oidc-signin");

            console.clickThrough("#oidc-signin"); // → provider (consents at once) → /console/oidc/signin → /console
            assertEquals("Dashboard", console.text("h1"), console.driver.getPageSource());
            assertTrue(console.driver.getCurrentUrl().endsWith("/console"), console.driver.getCurrentUrl());
            assertEquals("ada", console.text(".signout span"));
            console.screenshot("console-oidc-dashboard");
            assertEquals(1, DbCounts.scalar(db,
                    "select count(*) from console_session s join console_admin a on a.id = s.admin_id "
                            + "where a.origin = 'oidc' and a.username = 'ada'"));
        }
    }
}
