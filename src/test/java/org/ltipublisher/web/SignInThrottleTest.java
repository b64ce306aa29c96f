package org.ltipublisher.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Password guessing against the sign-in: throttled per username and per client address (the address as the
 * trusted proxy forwards it, so each test has its own), 429 with Retry-After, one log line per failure
 * without the password, and a burst of parallel sign-ins that neither fails with 500 nor starves launches.
 */
@QuarkusTest
@TestProfile(BehindIngressTest.TrustedProxy.class)
class SignInThrottleTest extends WithPostgres {

    static PlatformSimulator platform;

    @BeforeAll
    static void startPlatform() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    /** A client address of this run alone (counts outlive a run on a database the tests do not create). */
    private static String freshAddress() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    /** A sign-in from the tool's own page, from this client address (X-Forwarded-For, trusted here). */
    private static Response signIn(LtiBrowser browser, String address, String username, String password) {
        return browser.formRequest().header("X-Forwarded-For", address).formParam("username", username)
                .formParam("password", password).post("/accounts/signin");
    }

    @Test
    void repeatedWrongPasswordsThrottleTheUsernameEvenForTheRightOne() {
        String username = "guessed-" + UUID.randomUUID();
        AdminApi.createAccount(username, username + "@school.example", "the-right-password");
        LtiBrowser attacker = new LtiBrowser();
        for (int i = 0; i < 5; i++) {
            assertEquals(401, signIn(attacker, freshAddress(), username, "guess-" + i).statusCode());
        }

        // the right password from another address: the username is throttled
        Response right = signIn(new LtiBrowser(), freshAddress(), username, "the-right-password");

        assertEquals(429, right.statusCode(), right.asString());
        assertNotNull(right.header("Retry-After"));
        long retryAfter = Long.parseLong(right.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, right.header("Retry-After"));
        assertTrue(right.asString().contains("try again in"), right.asString());
        assertTrue(right.getHeaders().getValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("lti_publisher_session=")));
    }

    @Test
    void oneAddressTryingManyUsernamesIsThrottled() {
        String address = freshAddress();
        LtiBrowser attacker = new LtiBrowser();
        int limit = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("lti.accounts.sign-in-max-failures-per-address", Integer.class);
        for (int i = 0; i < limit; i++) {
            assertEquals(401, signIn(attacker, address, "sprayed-" + i + "-" + UUID.randomUUID(), "Password1").statusCode());
        }
        String username = "sprayed-real-" + UUID.randomUUID();
        AdminApi.createAccount(username, username + "@school.example", "the-right-password");

        Response blocked = signIn(attacker, address, username, "the-right-password");
        assertEquals(429, blocked.statusCode(), blocked.asString());
        assertNotNull(blocked.header("Retry-After"));

        // the same account from another address is not affected
        assertEquals(200, signIn(new LtiBrowser(), freshAddress(), username, "the-right-password").statusCode());
    }

    @Test
    void eachFailureIsLoggedWithoutThePassword() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.ltipublisher.accounts.SignInThrottle");
        logger.addHandler(capture);
        try {
            String username = "logged-" + UUID.randomUUID();
            AdminApi.createAccount(username, username + "@school.example", "the-right-password");
            String address = freshAddress();
            assertEquals(401, signIn(new LtiBrowser(), address, username, "S3cret-Guess-xyz").statusCode());

            List<String> mine = lines.stream().filter(l -> l.contains(username)).toList();
            assertEquals(1, mine.size(), lines.toString());
            assertTrue(mine.get(0).contains(address) && mine.get(0).contains("wrong_password"), mine.get(0));
            assertFalse(lines.stream().anyMatch(l -> l.contains("S3cret-Guess-xyz")), lines.toString());
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void aHundredParallelSignInsAnswerWithoutServerErrorsAndLaunchesKeepWorking() throws Exception {
        String username = "burst-" + UUID.randomUUID();
        AdminApi.createAccount(username, username + "@school.example", "the-right-password");
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("During the burst", "auto", "auto");
        // the platform's key set is fetched before the burst: what the burst must not starve is the launch's own
        // work (connections, workers), not a loaded machine's simulated platform answering its JWKS in time
        Response warmUp = new LtiBrowser().launch(platform, reg, res.launchUrl(), LaunchSpec.resourceLink(
                reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(), "learner-" + UUID.randomUUID()));
        assertEquals(303, warmUp.statusCode(), warmUp.asString());
        LtiBrowser browser = new LtiBrowser();
        browser.csrfToken();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            addresses.add(freshAddress());
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String password = i % 2 == 0 ? "the-right-password" : "wrong-" + i;
                String address = addresses.get(i % 50);
                answers.add(pool.submit(() -> signIn(browser, address, username, password).statusCode()));
            }
            Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(), LaunchSpec.resourceLink(
                    reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(), "learner-" + UUID.randomUUID()));
            assertEquals(303, launch.statusCode(), launch.asString());
            for (Future<Integer> answer : answers) {
                int status = answer.get(120, TimeUnit.SECONDS);
                assertTrue(status == 200 || status == 401 || status == 429, "answered " + status);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
