package org.ltipublisher.enrolment;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Moodle's enrolment rules of a published resource, enforced at launch (LTI 1.3 and 1.1) through real
 * HTTP against a simulated platform and real PostgreSQL: refusals say why and store nothing.
 */
@QuarkusTest
class EnrolmentRulesTest extends WithPostgres {

    static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";

    static PlatformSimulator platform;

    @Inject
    DataSource db;

    @BeforeAll
    static void startPlatform() {
        platform = new PlatformSimulator();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    private static Registered register() {
        return AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
    }

    private static Map<String, Object> resource(String title, Object... rules) {
        Map<String, Object> body = new HashMap<>(Map.of("title", title + " " + UUID.randomUUID(), "kind", "course",
                "maxGrade", 10, "studentProvisioning", "auto", "teacherProvisioning", "auto"));
        for (int i = 0; i < rules.length; i += 2) {
            body.put((String) rules[i], rules[i + 1]);
        }
        return body;
    }

    private static LaunchSpec spec(Registered reg, Published res, String sub) {
        return LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(), sub);
    }

    private static Response launch(Registered reg, Published res, String sub, String... roles) {
        LaunchSpec spec = spec(reg, res, sub);
        if (roles.length > 0) {
            spec.roles(roles);
        }
        return new LtiBrowser().json().launch(platform, reg, res.launchUrl(), spec);
    }

    /** The launch is refused with this code and reason, and nothing at all is written (nonce included). */
    private void assertRefusedAndNothingStored(Registered reg, Published res, String sub, String code, String reason) {
        DbCounts before = DbCounts.of(db);
        Response refused = launch(reg, res, sub);
        assertEquals(403, refused.statusCode(), refused.asString());
        assertEquals(code, refused.path("error"), refused.asString());
        String message = refused.path("message");
        assertTrue(message.contains(reason), "'" + message + "' should say '" + reason + "'");
        assertEquals(before, DbCounts.of(db), "a refused launch stores nothing");
    }

    @Test
    void enrolmentNotStartedYetRefusesANewLearnerWithAPage() {
        Registered reg = register();
        Published res = AdminApi.publish(resource("Autumn course", "enrolmentStartsAt", "2099-09-01T08:00:00Z"));

        assertRefusedAndNothingStored(reg, res, "early-" + UUID.randomUUID(), "enrolment_not_started",
                "opens on 2099-09-01 08:00 UTC");

        // a browser gets the tool's error page with the same human reason
        DbCounts before = DbCounts.of(db);
        Response page = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec(reg, res, "early-html-" + UUID.randomUUID()));
        assertEquals(403, page.statusCode());
        page.then().contentType(containsString("text/html")).body(containsString("opens on 2099-09-01 08:00 UTC"));
        assertEquals(before, DbCounts.of(db));
        // instructors prepare the course before it opens
        assertEquals(303, launch(reg, res, "teacher-" + UUID.randomUUID(), INSTRUCTOR).statusCode());
    }

    @Test
    void enrolmentEndedRefusesANewLearnerButNotAnEnrolledOne() {
        Registered reg = register();
        Published res = AdminApi.publish(resource("Spring course"));
        String enrolled = "enrolled-" + UUID.randomUUID();
        assertEquals(303, launch(reg, res, enrolled).statusCode());
        update(res, resource("Spring course", "enrolmentStartsAt", "2020-01-01T00:00:00Z",
                "enrolmentEndsAt", "2021-06-30T21:59:00Z", "defaultTimezone", "Europe/Paris"));

        assertRefusedAndNothingStored(reg, res, "late-" + UUID.randomUUID(), "enrolment_ended",
                "This course's enrolment ended on 2021-06-30 23:59 Europe/Paris");
        // as Moodle: the dates gate new enrolments; who is enrolled keeps launching
        assertEquals(303, launch(reg, res, enrolled).statusCode());
    }

    @Test
    void enrolmentPeriodEndsLaunchesThatLongAfterTheFirstOne() {
        Registered reg = register();
        Published res = AdminApi.publish(resource("Self-paced", "enrolmentPeriod", "P30D"));
        String sub = "paced-" + UUID.randomUUID();
        assertEquals(303, launch(reg, res, sub).statusCode());
        assertEquals(303, launch(reg, res, sub).statusCode(), "within the period the learner launches again");

        // the first launch was 31 days ago
        DbCounts.scalar(db, "with moved as (update enrolment e set created_at = e.created_at - interval '31 days' "
                + "from platform_user p where p.account_id = e.account_id and p.subject = ? and e.resource_id = ? "
                + "returning 1) select count(*) from moved", sub, res.id());

        assertRefusedAndNothingStored(reg, res, sub, "enrolment_period_over", "it lasts 30 days from your first launch");
    }

    @Test
    void maximumRefusesTheNextNewLearnerOnly() {
        Registered reg = register();
        Published res = AdminApi.publish(resource("Small class", "maxEnrolled", 2));
        String first = "seat1-" + UUID.randomUUID();
        assertEquals(303, launch(reg, res, first).statusCode());
        assertEquals(303, launch(reg, res, "seat2-" + UUID.randomUUID()).statusCode());
        // teachers take no seat and are never refused
        assertEquals(303, launch(reg, res, "teacher-" + UUID.randomUUID(), INSTRUCTOR).statusCode());

        assertRefusedAndNothingStored(reg, res, "seat3-" + UUID.randomUUID(), "enrolment_full",
                "has reached its maximum of 2 enrolled learners");
        assertEquals(303, launch(reg, res, first).statusCode(), "an enrolled learner keeps launching");
        assertEquals(303, launch(reg, res, "teacher2-" + UUID.randomUUID(), INSTRUCTOR).statusCode());

        // a freed seat (unenrolled learner) admits the next one
        DbCounts.scalar(db, "with freed as (update enrolment e set status = 'INACTIVE' from platform_user p "
                + "where p.account_id = e.account_id and p.subject = ? and e.resource_id = ? returning 1) "
                + "select count(*) from freed", first, res.id());
        assertEquals(303, launch(reg, res, "seat3b-" + UUID.randomUUID()).statusCode());
        assertEquals(2, DbCounts.scalar(db, "select count(*) from enrolment where resource_id = ? and status = 'ACTIVE' "
                + "and role_class = 'LEARNER'", res.id()));
    }

    @Test
    void learnersRacingForTheLastSeatAdmitExactlyOne() throws Exception {
        Registered reg = register();
        Published res = AdminApi.publish(resource("Last seat", "maxEnrolled", 2));
        assertEquals(303, launch(reg, res, "seated-" + UUID.randomUUID()).statusCode());
        List<LtiBrowser> browsers = new ArrayList<>();
        List<LtiBrowser.PlatformForm> forms = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            LtiBrowser browser = new LtiBrowser().json();
            String sub = "racer-" + i + "-" + UUID.randomUUID();
            forms.add(browser.loginAndAuthenticate(platform, reg, res.launchUrl(), spec(reg, res, sub)));
            browsers.add(browser);
        }

        ExecutorService pool = Executors.newFixedThreadPool(forms.size());
        List<Response> responses = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> posted = new ArrayList<>();
            for (int i = 0; i < forms.size(); i++) {
                LtiBrowser browser = browsers.get(i);
                LtiBrowser.PlatformForm form = forms.get(i);
                posted.add(pool.submit(() -> {
                    start.await();
                    return browser.post(form);
                }));
            }
            start.countDown();
            for (Future<Response> future : posted) {
                responses.add(future.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        List<Integer> statuses = responses.stream().map(Response::statusCode).toList();
        assertEquals(1, statuses.stream().filter(s -> s == 303).count(), statuses.toString());
        assertEquals(5, responses.stream().filter(r -> r.statusCode() == 403
                && "enrolment_full".equals(r.path("error"))).count(), statuses.toString());
        assertEquals(2, DbCounts.scalar(db, "select count(*) from enrolment where resource_id = ? and status = 'ACTIVE'",
                res.id()));
        assertEquals(2, DbCounts.scalar(db, "select count(distinct e.account_id) from enrolment e "
                + "where e.resource_id = ?", res.id()), "the refused learners got no account enrolled");
    }

    @Test
    void lti11LaunchesObeyTheSameRules() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("auto-link-email", false)) {
            Published res = AdminApi.publish(resource("Legacy class", "maxEnrolled", 1));
            String url = consumer.launchUrl(res.id());
            String first = "legacy-1-" + UUID.randomUUID();
            HttpResponse<String> admitted = consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(first, "rl-1")));
            assertEquals(303, admitted.statusCode(), admitted.body());

            DbCounts before = DbCounts.of(db);
            HttpResponse<String> refused = consumer.post(url, consumer.sign(url,
                    ConsumerSimulator.basicLaunch("legacy-2-" + UUID.randomUUID(), "rl-1")), Map.of("Accept", "application/json"));
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("enrolment_full"), refused.body());
            assertTrue(refused.body().contains("maximum of 1 enrolled learner"), refused.body());
            assertEquals(before, DbCounts.of(db), "a refused launch stores nothing, its nonce included");

            HttpResponse<String> again = consumer.post(url, consumer.sign(url, ConsumerSimulator.basicLaunch(first, "rl-1")));
            assertEquals(303, again.statusCode(), again.body());
        }
    }

    @Test
    void accountsCreatedByALaunchCarryTheResourceDefaults() {
        Registered reg = register();
        Published res = AdminApi.publish(resource("Lyon course", "defaultLanguage", "fr-FR",
                "defaultTimezone", "Europe/Paris", "defaultInstitution", "Université de Lyon"));
        String sub = "defaults-" + UUID.randomUUID();

        assertEquals(303, launch(reg, res, sub).statusCode());

        String accountId = DbCounts.text(db, "select account_id::text from platform_user where subject = ?", sub);
        AdminApi.admin().get("/api/v1/accounts/" + accountId).then().statusCode(200)
                .body("language", org.hamcrest.Matchers.equalTo("fr-FR"))
                .body("timezone", org.hamcrest.Matchers.equalTo("Europe/Paris"))
                .body("institution", org.hamcrest.Matchers.equalTo("Université de Lyon"));
        // a resource without defaults leaves them empty
        Published plain = AdminApi.publish(resource("Plain"));
        String other = "plain-" + UUID.randomUUID();
        assertEquals(303, launch(reg, plain, other).statusCode());
        assertEquals(null, DbCounts.text(db, "select a.timezone from account a join platform_user p on p.account_id = a.id "
                + "where p.subject = ?", other));
    }

    @Test
    void badSettingsAreRefusedWith422AndChangeNothing() {
        Published res = AdminApi.publish(resource("Validated", "maxEnrolled", 5, "enrolmentPeriod", "P10D",
                "memberSyncMode", "enrol-new", "defaultTimezone", "UTC"));
        String path = "/api/v1/resources/" + res.id();
        String before = AdminApi.admin().get(path).then().statusCode(200).extract().asString();

        assertUnprocessable(path, "invalid_enrolment_window", "must be after enrolmentStartsAt",
                "enrolmentStartsAt", "2026-09-01T00:00:00Z", "enrolmentEndsAt", "2026-08-01T00:00:00Z");
        assertUnprocessable(path, "invalid_date", "not an ISO-8601 date-time", "enrolmentEndsAt", "next tuesday");
        assertUnprocessable(path, "invalid_max_enrolled", "maxEnrolled must be 0", "maxEnrolled", -1);
        assertUnprocessable(path, "invalid_enrolment_period", "must be positive", "enrolmentPeriod", "-P3D");
        assertUnprocessable(path, "invalid_enrolment_period", "not an ISO-8601 duration", "enrolmentPeriod", "3 days");
        assertUnprocessable(path, "invalid_timezone", "not a known time zone", "defaultTimezone", "Mars/Olympus");
        assertUnprocessable(path, "invalid_language", "not a BCP 47 language tag", "defaultLanguage", "english please");
        assertUnprocessable(path, "invalid_member_sync_mode", "enrol-and-unenrol, enrol-new, unenrol-missing",
                "memberSyncMode", "sometimes");

        assertEquals(before, AdminApi.admin().get(path).then().statusCode(200).extract().asString(),
                "a refused update changes nothing");
        AdminApi.admin().get(path).then().body("maxEnrolled", org.hamcrest.Matchers.equalTo(5))
                .body("enrolmentPeriod", org.hamcrest.Matchers.equalTo("PT240H"))
                .body("memberSyncMode", org.hamcrest.Matchers.equalTo("enrol-new"));
    }

    private static void assertUnprocessable(String path, String code, String reason, Object... change) {
        Response response = AdminApi.admin().body(resource("Validated", change)).put(path);
        assertEquals(422, response.statusCode(), response.asString());
        assertEquals(code, response.path("error"), response.asString());
        String message = response.path("message");
        assertTrue(message.contains(reason), "'" + message + "' should say '" + reason + "'");
    }

    private static void update(Published res, Map<String, Object> body) {
        AdminApi.admin().body(body).put("/api/v1/resources/" + res.id()).then().statusCode(200);
    }
}
