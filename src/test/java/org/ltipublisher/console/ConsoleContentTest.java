package org.ltipublisher.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformServices.Roster;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The console's Published content screen over HTTP: publish, edit, tree, disable and enable, intervals, "sync now"
 * with the run and enrolments it shows; CSRF, bad input and a missing session refused with nothing changed.
 */
@QuarkusTest
class ConsoleContentTest extends WithPostgres {

    static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";

    static PlatformSimulator platform;

    @Inject
    DataSource db;

    @Inject
    ConsoleSetupLink setupLink;

    ConsoleFixture.SignedIn console;
    String session;
    LtiBrowser browser;

    @BeforeEach
    void signIn() throws SQLException {
        console = ConsoleFixture.firstAdmin(db, setupLink, "publisher", "publisher password");
        browser = console.browser();
        session = console.session();
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
            platform = null;
        }
    }

    private UUID idOf(String title) {
        return UUID.fromString(DbCounts.text(db, "select cast(id as text) from published_resource where title = ?", title));
    }

    /** The settings form as the detail page fills it, with {@code changes} on top. */
    private static Map<String, String> settings(String title, Map<String, String> changes) {
        Map<String, String> form = new HashMap<>(Map.of("title", title, "kind", "course", "maxGrade", "50",
                "studentProvisioning", "auto", "teacherProvisioning", "prompt", "memberSyncMode", "enrol-and-unenrol",
                "maxEnrolled", "0", "weight", "1", "incompleteGrades", "send-partial"));
        form.putAll(changes);
        form.values().removeIf(v -> v == null);
        return form;
    }

    @Test
    void contentIsPublishedEditedPlacedInItsTreeDisabledAndEnabledFromThePages() {
        String title = "Algebra " + UUID.randomUUID();
        Response created = console.post("/console/content", Map.of("title", title, "kind", "course", "maxGrade", "50",
                "studentProvisioning", "prompt", "teacherProvisioning", "auto", "gradeSync", "on"));
        assertEquals(200, created.statusCode(), created.asString());
        UUID id = idOf(title);
        String body = created.asString();
        String launchUrl = AdminApi.admin().get("/api/v1/resources/" + id).then().statusCode(200).extract().path("launchUrl");
        assertTrue(body.contains("value=\"" + launchUrl + "\""), "the launch URL with a copy button: " + body);
        assertTrue(body.contains("value=\"id=" + id + "\""), "the custom parameter with a copy button: " + body);
        assertTrue(body.contains("data-copy=\"launch-url\"") && body.contains("/console/copy.js"), body);
        String keyId = DbCounts.text(db, "select key_id from content_credential where resource_id = ?", id);
        assertTrue(body.contains("value=\"" + keyId + "\"") && body.contains("id=\"credential-secret\""),
                "the content credential, shown once: " + body);
        assertEquals(1, DbCounts.scalar(db, "select count(*) from published_resource where id = ? and kind = 'COURSE' "
                + "and max_grade = 50 and grade_sync and not member_sync and student_provisioning = 'PROMPT' "
                + "and teacher_provisioning = 'AUTO'", id));

        console.page("/console/content").then().statusCode(200).body(containsString(title)).body(containsString(launchUrl))
                .body(containsString("enabled"));
        console.page("/console/content/" + id).then().statusCode(200).body(containsString("value=\"" + launchUrl + "\""))
                .body(containsString("Sync grades now")).body(containsString("Nobody enrolled yet"));

        // edit: member sync on with its mode, enrolment rules and account defaults
        Response saved = console.post("/console/content/" + id, settings(title, Map.of("memberSync", "on", "gradeSync", "on",
                "memberSyncMode", "enrol-new", "maxEnrolled", "30", "enrolmentPeriod", "P30D",
                "enrolmentStartsAt", "2026-09-01T08:00:00Z", "defaultTimezone", "Europe/Paris",
                "studentProvisioning", "anonymous")));
        assertEquals(303, saved.statusCode(), saved.asString());
        assertTrue(saved.getHeader("Location").endsWith("/console/content/" + id), saved.getHeader("Location"));
        AdminApi.admin().get("/api/v1/resources/" + id).then().statusCode(200)
                .body("memberSync", org.hamcrest.Matchers.equalTo(true))
                .body("memberSyncMode", org.hamcrest.Matchers.equalTo("enrol-new"))
                .body("maxEnrolled", org.hamcrest.Matchers.equalTo(30))
                .body("enrolmentPeriod", org.hamcrest.Matchers.equalTo("PT720H"))
                .body("defaultTimezone", org.hamcrest.Matchers.equalTo("Europe/Paris"))
                .body("studentProvisioning", org.hamcrest.Matchers.equalTo("anonymous"));
        console.page("/console/content/" + id).then().body(containsString("value=\"PT720H\""))
                .body(containsString("value=\"Europe/Paris\""));

        // the tree: a child added from the parent's page, shown under it in the list
        String unit = "Unit 1 " + UUID.randomUUID();
        Response child = console.post("/console/content/" + id + "/children", Map.of("title", unit, "kind", "unit",
                "maxGrade", "10"));
        assertEquals(200, child.statusCode(), child.asString());
        UUID childId = idOf(unit);
        assertEquals(1, DbCounts.scalar(db, "select count(*) from published_resource where id = ? and parent_id = ?",
                childId, id));
        console.page("/console/content/" + id).then().body(containsString("href=\"/console/content/" + childId + "\""));
        console.page("/console/content/" + childId).then().body(containsString("Inside <a href=\"/console/content/" + id + "\""));
        String list = console.page("/console/content").asString();
        assertTrue(list.indexOf(title) < list.indexOf(unit) && list.contains("--depth: 1"), list);

        // disable and enable, as /api/v1/resources/{id}/disable and /enable
        assertEquals(303, console.post("/console/content/" + id + "/disable", Map.of()).statusCode());
        assertEquals(1, DbCounts.scalar(db, "select count(*) from published_resource where id = ? and not enabled", id));
        console.page("/console/content/" + id).then().body(containsString("Enable launches"));
        assertEquals(303, console.post("/console/content/" + id + "/enable", Map.of()).statusCode());
        assertEquals(1, DbCounts.scalar(db, "select count(*) from published_resource where id = ? and enabled", id));

        // a sync interval of this resource, and back to the service-wide one
        assertEquals(303, console.post("/console/content/" + id + "/sync/members/interval", Map.of("intervalMinutes", "45"))
                .statusCode());
        assertEquals(45, DbCounts.scalar(db, "select interval_minutes from sync_schedule where resource_id = ? "
                + "and kind = 'MEMBERS'", id));
        console.page("/console/content/" + id).then().body(containsString("value=\"45\""));
        assertEquals(303, console.post("/console/content/" + id + "/sync/members/interval", Map.of("intervalMinutes", ""))
                .statusCode());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from sync_schedule where resource_id = ? "
                + "and kind = 'MEMBERS' and interval_minutes is not null", id));
    }

    @Test
    void syncNowRunsTheMemberSyncAndThePageShowsTheRunAndTheEnrolments() {
        if (platform == null) {
            platform = new PlatformSimulator();
        }
        PlatformServices services = new PlatformServices(platform,
                "http://localhost:" + RestAssured.port + "/.well-known/jwks.json");
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish(Map.of("title", "Synced course " + UUID.randomUUID(), "kind", "course",
                "maxGrade", 100, "memberSync", true, "studentProvisioning", "auto", "teacherProvisioning", "prompt"));
        String context = "ctx-" + UUID.randomUUID();
        String launcher = "launcher-" + UUID.randomUUID();
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(), launcher)
                .lti("context", Map.of("id", context, "title", "Course"))
                .claim(NRPS, Map.of("context_memberships_url", platform.issuer() + "/nrps/" + context + "/memberships",
                        "service_versions", List.of("2.0")));
        Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec);
        assertEquals(303, launch.statusCode(), launch.asString());
        Roster roster = services.roster(context);
        roster.add(launcher, "Ada Lovelace", launcher + "@example.edu", "Active", LEARNER);
        String newcomer = "newcomer-" + UUID.randomUUID();
        roster.add(newcomer, "Grace Hopper", newcomer + "@example.edu", "Active", LEARNER);
        String base = "/console/content/" + res.id();

        Response requested = console.post(base + "/sync/members", Map.of());
        assertEquals(303, requested.statusCode(), requested.asString());
        Eventually.await(Duration.ofSeconds(60), () -> DbCounts.scalar(db, "select count(*) from sync_run where "
                + "resource_id = ? and kind = 'MEMBERS' and finished_at is not null", res.id()) == 1,
                () -> "the member sync asked for from the console did not run");

        String detail = console.page(base).then().statusCode(200).extract().asString();
        assertTrue(detail.contains(launcher) && detail.contains(newcomer), "both members enrolled: " + detail);
        assertTrue(detail.contains("Grace Hopper") && detail.contains("member_sync"), detail);
        assertTrue(detail.matches("(?s).*<tr class=\"sync-members\">.*?<td>ok</td><td class=\"counts\">[^<]*members 2, added 1.*"),
                "the run's result and counts: " + detail);

        // grade sync is off for this resource: "sync now" is refused with the reason, nothing is scheduled
        Response off = console.post(base + "/sync/grades", Map.of());
        assertEquals(409, off.statusCode(), off.asString());
        assertTrue(off.asString().contains("turn it on"), off.asString());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from sync_run where resource_id = ? and kind = 'GRADES'",
                res.id()));
    }

    @Test
    void childrenAddedAtOnceFromTwoPagesGetDistinctPlaces() throws Exception {
        Published course = AdminApi.publish(Map.of("title", "Busy course " + UUID.randomUUID(), "kind", "course"));
        String csrf = browser.csrfToken();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Integer>> posts = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String title = "Unit " + i;
                posts.add(pool.submit(() -> given().redirects().follow(false)
                        .contentType("application/x-www-form-urlencoded").header("Origin", browser.toolOrigin())
                        .header("Cookie", LtiBrowser.CSRF_COOKIE + "=" + csrf + "; " + ConsoleSessions.COOKIE + "=" + session)
                        .formParam(LtiBrowser.CSRF_FIELD, csrf).formParam("title", title).formParam("kind", "unit")
                        .post("/console/content/" + course.id() + "/children").statusCode()));
            }
            for (var post : posts) {
                assertEquals(200, post.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(6, DbCounts.scalar(db, "select count(distinct position) from published_resource where parent_id = ? "
                + "and position between 0 and 5", course.id()));
    }

    @Test
    void formsWithoutTheTokenOrFromAnotherOriginAreRefusedAndChangeNothing() {
        Published res = AdminApi.publish("Guarded " + UUID.randomUUID(), "auto", "prompt");
        String path = "/console/content/" + res.id();
        String cookies = LtiBrowser.CSRF_COOKIE + "=" + browser.csrfToken() + "; " + ConsoleSessions.COOKIE + "=" + session;

        Response noToken = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", browser.toolOrigin()).header("Cookie", cookies)
                .formParam("title", "Renamed").formParam("kind", "unit").post(path);
        assertEquals(403, noToken.statusCode(), noToken.asString());
        Response foreign = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example").header("Cookie", cookies)
                .formParam(LtiBrowser.CSRF_FIELD, browser.csrfToken()).post(path + "/disable");
        assertEquals(403, foreign.statusCode(), foreign.asString());
        Response foreignCreate = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example").header("Cookie", cookies)
                .formParam(LtiBrowser.CSRF_FIELD, browser.csrfToken()).formParam("title", "Planted")
                .formParam("kind", "activity").post("/console/content");
        assertEquals(403, foreignCreate.statusCode(), foreignCreate.asString());

        assertEquals(1, DbCounts.scalar(db, "select count(*) from published_resource where id = ? and enabled "
                + "and kind = 'ACTIVITY' and title like 'Guarded %'", res.id()));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from published_resource where title = 'Planted'"));
    }

    @Test
    void badInputIsRefusedWithAReasonAndChangesNothing() {
        String title = "Steady " + UUID.randomUUID();
        Published res = AdminApi.publish(Map.of("title", title, "kind", "course", "maxGrade", 50));
        String path = "/console/content/" + res.id();
        String before = DbCounts.text(db, "select row(r.*)::text from published_resource r where id = ?", res.id());

        Map<Map<String, String>, String> refusals = Map.of(
                settings("Renamed", Map.of("studentProvisioning", "whoever")), "studentProvisioning 'whoever'",
                settings("Renamed", Map.of("maxGrade", "lots")), "maxGrade 'lots' is not a number",
                settings("Renamed", Map.of("maxGrade", "1e999999")), "maxGrade",
                settings("Renamed", Map.of("enrolmentStartsAt", "tomorrow")), "ISO-8601",
                settings("Renamed", Map.of("memberSyncMode", "sometimes")), "memberSyncMode 'sometimes'",
                settings("Renamed", Map.of("maxEnrolled", "-3")), "maxEnrolled",
                settings("Renamed", Map.of("kind", "chapter")), "kind 'chapter' is not one of course, section, unit",
                settings("", Map.of()), "title is required");
        refusals.forEach((form, reason) -> {
            Response refused = console.post(path, form);
            assertEquals(422, refused.statusCode(), form + " → " + refused.asString());
            assertTrue(refused.asString().replace("&#39;", "'").contains(reason), "'" + reason + "' in " + refused.asString());
        });
        assertEquals(before, DbCounts.text(db, "select row(r.*)::text from published_resource r where id = ?", res.id()));

        Response badInterval = console.post(path + "/sync/grades/interval", Map.of("intervalMinutes", "0"));
        assertEquals(422, badInterval.statusCode(), badInterval.asString());
        assertTrue(badInterval.asString().contains("between 1 and 10080"), badInterval.asString());
        assertEquals(422, console.post(path + "/sync/grades/interval", Map.of("intervalMinutes", "soon")).statusCode());
        assertEquals(0, DbCounts.scalar(db, "select count(*) from sync_schedule where resource_id = ? "
                + "and interval_minutes is not null", res.id()));
        assertEquals(404, console.post(path + "/sync/everything", Map.of()).statusCode());

        long resources = DbCounts.scalar(db, "select count(*) from published_resource");
        Response blank = console.post("/console/content", Map.of("title", " ", "kind", "activity"));
        assertEquals(422, blank.statusCode(), blank.asString());
        Response badChild = console.post(path + "/children", Map.of("title", "Child", "kind", "activity",
                "contentUrl", "javascript:alert(1)"));
        assertEquals(422, badChild.statusCode(), badChild.asString());
        assertTrue(badChild.asString().contains("contentUrl must be an absolute http(s) URL"), badChild.asString());
        assertEquals(resources, DbCounts.scalar(db, "select count(*) from published_resource"));

        console.page("/console/content/not-a-uuid").then().statusCode(404).body(containsString("content list"));
        console.page("/console/content/" + UUID.randomUUID()).then().statusCode(404);
        assertEquals(404, console.post("/console/content/" + UUID.randomUUID() + "/disable", Map.of()).statusCode());
    }

    @Test
    void withoutASessionTheScreenLeadsToSignIn() {
        Published res = AdminApi.publish("Private " + UUID.randomUUID(), "auto", "prompt");
        for (String path : List.of("/console/content", "/console/content/" + res.id())) {
            Response r = given().redirects().follow(false).get(path);
            assertEquals(303, r.statusCode(), path);
            assertTrue(r.getHeader("Location").endsWith("/console/signin"), r.getHeader("Location"));
        }
        Response post = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", browser.toolOrigin())
                .header("Cookie", LtiBrowser.CSRF_COOKIE + "=" + browser.csrfToken())
                .formParam(LtiBrowser.CSRF_FIELD, browser.csrfToken()).post("/console/content/" + res.id() + "/disable");
        assertEquals(303, post.statusCode());
        assertTrue(post.getHeader("Location").endsWith("/console/signin"), post.getHeader("Location"));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from published_resource where id = ? and enabled", res.id()));
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).get("/console/content").then()
                .statusCode(200).body(not(containsString("class=\"later\" title=\"not in the console yet: use the admin "
                        + "API /api/v1\">Published content")));
    }
}
