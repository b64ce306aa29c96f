package org.ltipublisher.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A one-time registration URL lets whoever holds it register a platform: refusing a use of it must not
 * write it (or the platform's registration token) to the log, where far more people can read it.
 */
@QuarkusTest
class SecretsInLogsTest extends WithPostgres {

    /** Every log line of the service, formatted as a log reader sees it (message, parameters and stack trace). */
    static final class CapturedLog extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    line.append(' ').append(parameter);
                }
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(' ').append(t);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        String all() {
            return String.join("\n", lines);
        }
    }

    private final CapturedLog log = new CapturedLog();

    @BeforeEach
    void capture() {
        Logger.getLogger("").addHandler(log);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(log);
    }

    @Test
    void aRefusedRegistrationUrlIsNotLogged() {
        Response created = AdminApi.admin().body(Map.of("name", "Log check")).post("/api/v1/registrations")
                .then().statusCode(201).extract().response();
        String path = URI.create(created.<String>path("registrationUrl")).getPath();
        String token = path.substring(path.lastIndexOf('/') + 1);
        String platformToken = "platform-secret-" + token.hashCode();

        // used without the platform's configuration: refused
        Response refused = given().queryParam("registration_token", platformToken).get(path);

        assertTrue(refused.statusCode() >= 400 && refused.statusCode() < 500, refused.asString());
        assertTrue(log.all().contains("/lti/register/[redacted]"), log.all());
        assertFalse(log.all().contains(token), "the registration URL's token is in the log:\n" + log.all());
        assertFalse(log.all().contains(platformToken), "the platform's registration token is in the log");
    }

    @Test
    void anUnknownRegistrationUrlIsNotLoggedEither() {
        String guessed = "guessed-" + System.nanoTime();
        assertEquals(404, given().get("/lti/register/" + guessed).statusCode());
        assertFalse(log.all().contains(guessed), log.all());
    }

    @Test
    void aGuessedConsoleSetupLinkIsNotLogged() {
        String guessed = "guessed-setup-" + System.nanoTime();
        int status = given().redirects().follow(false).get("/console/setup/" + guessed).statusCode();
        assertTrue(status >= 300 && status < 500, "answered " + status);
        assertFalse(log.all().contains(guessed), log.all());
    }

    @Test
    void redactionKeepsTheShapeOfTheRequest() {
        assertEquals("/lti/register/[redacted]", LogRedaction.url("/lti/register/abc123"));
        assertEquals("/activity/42?launch_token=[redacted]&x=1",
                LogRedaction.url("/activity/42?launch_token=eyJ.abc.def&x=1"));
        assertEquals("/lti/launch?state=[redacted]&id_token=[redacted]",
                LogRedaction.url("/lti/launch?state=s1&id_token=t1"));
    }
}
