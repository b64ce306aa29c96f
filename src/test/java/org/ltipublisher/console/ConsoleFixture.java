package org.ltipublisher.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.ltipublisher.testing.LtiBrowser;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The console's first start, as tests repeat it: an empty console (no administrator, no setup link, no
 * sessions, no console sign-in failures), then the setup link read from the log line the service prints.
 */
final class ConsoleFixture {

    static final Pattern SETUP_LINK = Pattern.compile("https?://[^/\\s]+(/console/setup/[A-Za-z0-9_-]{43})");

    private ConsoleFixture() {
    }

    static void emptyConsole(DataSource db) throws SQLException {
        sql(db, "delete from console_session", "delete from console_admin", "delete from console_setup_link",
                "delete from sign_in_failure where throttle_key like 'console-%'");
    }

    static void sql(DataSource db, String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.executeUpdate(statement);
            }
        }
    }

    /** Asks for a setup link as a first start does and returns the path the log line shows. */
    static String setupPathFromLog(ConsoleSetupLink setupLink) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                Object[] params = record.getParameters();
                String message = record.getMessage();
                lines.add(params == null || params.length == 0 ? message : String.format(message, params));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(ConsoleSetupLink.class.getName());
        logger.addHandler(capture);
        try {
            setupLink.offer();
        } finally {
            logger.removeHandler(capture);
        }
        List<String> links = lines.stream().filter(l -> l.contains("/console/setup/")).toList();
        assertEquals(1, links.size(), "one setup link line in the log: " + lines);
        Matcher m = SETUP_LINK.matcher(links.get(0));
        assertTrue(m.find(), links.get(0));
        return m.group(1);
    }

    /** A console administrator signed in over HTTP: the session cookie, and the browser's CSRF cookie and field. */
    record SignedIn(LtiBrowser browser, String session) {

        /** A form post as the console's own pages send it: same Origin, CSRF cookie and field, session cookie. */
        RequestSpecification form() {
            return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .header("Origin", browser.toolOrigin()).header("Cookie", LtiBrowser.CSRF_COOKIE + "="
                            + browser.csrfToken() + "; " + ConsoleSessions.COOKIE + "=" + session)
                    .formParam(LtiBrowser.CSRF_FIELD, browser.csrfToken());
        }

        /** A console form post with these fields besides the CSRF field (see {@link #form()}). */
        Response post(String path, Map<String, String> fields) {
            RequestSpecification request = form();
            fields.forEach(request::formParam);
            return request.post(path);
        }

        /** A page of the console, redirects not followed. */
        Response page(String path) {
            return given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).get(path);
        }
    }

    /** An empty console, then its first administrator set up through the setup link the log shows, signed in. */
    static SignedIn firstAdmin(DataSource db, ConsoleSetupLink setupLink, String username, String password)
            throws SQLException {
        emptyConsole(db);
        LtiBrowser browser = new LtiBrowser();
        Response created = browser.formRequest().formParam("username", username).formParam("password", password)
                .formParam("confirmation", password).post(setupPathFromLog(setupLink));
        assertEquals(303, created.statusCode(), created.asString());
        return new SignedIn(browser, created.getCookie(ConsoleSessions.COOKIE));
    }
}
