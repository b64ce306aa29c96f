package org.ltipublisher.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
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
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * First launches fired at once, as a class of students opening a new course link together: every write a
 * first launch does (deployment auto-add, account, platform user, context, link, enrolment) must be
 * race-free, so none of them may answer 500.
 */
@QuarkusTest
class ConcurrentFirstLaunchTest extends WithPostgres {

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

    /** One browser tab's launch, logged in and authenticated at the platform, waiting to post its id_token. */
    private record Tab(LtiBrowser browser, LtiBrowser.PlatformForm form) {
    }

    @Test
    void brightspaceShapedRegistrationSurvivesAClassLaunchingAtOnce() throws Exception {
        // Brightspace shape: no deployment id at registration, unknown deployments are added at first launch
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), null, "ADD");
        Published res = AdminApi.publish("Class start " + UUID.randomUUID(), "auto", "auto");
        String deploymentId = "d2l-" + UUID.randomUUID();
        List<String> students = new ArrayList<>();
        List<Tab> tabs = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            String sub = "student-" + s + "-" + UUID.randomUUID();
            students.add(sub);
            for (int i = 0; i < 5; i++) {
                tabs.add(prepare(reg, res, deploymentId, sub));
            }
        }
        // a double-click: the same browser posts the same launch twice (a copy of its cookies per request)
        Tab clicked = prepare(reg, res, deploymentId, students.get(0));
        LtiBrowser twin = new LtiBrowser();
        twin.cookies().putAll(clicked.browser().cookies());
        tabs.add(clicked);
        tabs.add(new Tab(twin, clicked.form()));

        List<Integer> statuses = fireAtOnce(tabs);

        // 20 launches succeed; of the double-click one succeeds and the second is a replayed nonce, never a 500
        assertEquals(21, statuses.stream().filter(s -> s == 303).count(), statuses.toString());
        assertEquals(1, statuses.stream().filter(s -> s == 400).count(), statuses.toString());
        assertEquals(1, DbCounts.scalar(db, "select count(*) from deployment where registration_id = ?", reg.id()));
        for (String sub : students) {
            assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where issuer = ? and subject = ?",
                    reg.issuer(), sub));
            assertEquals(1, DbCounts.scalar(db, "select count(distinct a.id) from account a join platform_user p "
                    + "on p.account_id = a.id where p.subject = ?", sub));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from enrolment e join platform_user p "
                    + "on p.account_id = e.account_id where p.subject = ? and e.resource_id = ?", sub, res.id()));
        }
        assertEquals(1, DbCounts.scalar(db, "select count(*) from lti_context c join deployment d "
                + "on d.id = c.deployment_id where d.registration_id = ?", reg.id()));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from resource_link l join deployment d "
                + "on d.id = l.deployment_id where d.registration_id = ?", reg.id()));
    }

    @Test
    void oneNewStudentLaunchingInManyTabsGetsOneAccount() throws Exception {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("Tabs " + UUID.randomUUID(), "auto", "auto");
        String sub = "tabs-" + UUID.randomUUID();
        List<Tab> tabs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tabs.add(prepare(reg, res, reg.deploymentId(), sub));
        }

        List<Integer> statuses = fireAtOnce(tabs);

        assertTrue(statuses.stream().allMatch(s -> s == 303), statuses.toString());
        assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where issuer = ? and subject = ?",
                reg.issuer(), sub));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from enrolment e join platform_user p "
                + "on p.account_id = e.account_id where p.subject = ? and e.resource_id = ?", sub, res.id()));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from deployment where registration_id = ?", reg.id()));
    }

    @Test
    void aReturningStudentsDoubleClickIsOneLaunchAndItsReplayWritesNothing() throws Exception {
        // a returning user's launch spends its nonce inside its one statement (no transaction): a double-click
        // is one launch and one refused replay, and a later replay changes nothing, not even the link touch
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish("Returning " + UUID.randomUUID(), "auto", "auto");
        String sub = "back-" + UUID.randomUUID();
        Tab first = prepare(reg, res, reg.deploymentId(), sub);
        assertEquals(303, first.browser().post(first.form()).statusCode());

        Tab clicked = prepare(reg, res, reg.deploymentId(), sub);
        Map<String, String> cookies = Map.copyOf(clicked.browser().cookies());
        LtiBrowser twin = new LtiBrowser();
        twin.cookies().putAll(cookies);
        List<Integer> statuses = fireAtOnce(List.of(clicked, new Tab(twin, clicked.form())));
        assertEquals(List.of(303, 400), statuses.stream().sorted().toList());

        String lastLaunch = "select last_launch_at::text from platform_user where issuer = ? and subject = ?";
        String enrolmentUpdated = "select e.updated_at::text from enrolment e join platform_user p "
                + "on p.account_id = e.account_id where p.subject = ? and e.resource_id = ?";
        DbCounts before = DbCounts.of(db);
        String touched = DbCounts.text(db, lastLaunch, reg.issuer(), sub);
        String enrolled = DbCounts.text(db, enrolmentUpdated, sub, res.id());
        LtiBrowser replay = new LtiBrowser();
        replay.cookies().putAll(cookies);
        Response refused = replay.post(clicked.form());
        assertEquals(400, refused.statusCode(), refused.asString());
        assertTrue(refused.asString().contains("nonce already used"), refused.asString());
        assertEquals(before, DbCounts.of(db));
        assertEquals(touched, DbCounts.text(db, lastLaunch, reg.issuer(), sub));
        assertEquals(enrolled, DbCounts.text(db, enrolmentUpdated, sub, res.id()));
    }

    @Test
    void lti11ConsumerSurvivesAClassLaunchingAtOnce() throws Exception {
        // a new consumer: its first launches also bind the LMS instance GUID and remember outcome targets
        try (ConsumerSimulator consumer = ConsumerSimulator.create("auto-link-email", false)) {
            Published res = AdminApi.publish("Legacy class " + UUID.randomUUID(), "auto", "auto");
            String url = consumer.launchUrl(res.id());
            List<String> users = new ArrayList<>();
            List<List<String[]>> forms = new ArrayList<>();
            for (int u = 0; u < 4; u++) {
                String user = "legacy-" + u + "-" + UUID.randomUUID();
                users.add(user);
                List<String[]> fields = ConsumerSimulator.with(ConsumerSimulator.with(
                        ConsumerSimulator.basicLaunch(user, "rl-class"), "lis_outcome_service_url",
                        consumer.outcomesUrl()), "lis_result_sourcedid", "sourced-" + user);
                for (int i = 0; i < 4; i++) {
                    forms.add(consumer.sign(url, fields));
                }
            }

            ExecutorService pool = Executors.newFixedThreadPool(forms.size());
            List<Integer> statuses = new ArrayList<>();
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> posted = new ArrayList<>();
                for (List<String[]> form : forms) {
                    posted.add(pool.submit(() -> {
                        start.await();
                        return consumer.post(url, form);
                    }));
                }
                start.countDown();
                for (Future<HttpResponse<String>> future : posted) {
                    HttpResponse<String> response = future.get(60, TimeUnit.SECONDS);
                    statuses.add(response.statusCode());
                    if (response.statusCode() >= 500) {
                        throw new AssertionError("a launch answered " + response.statusCode() + ": " + response.body());
                    }
                }
            } finally {
                pool.shutdownNow();
            }

            assertTrue(statuses.stream().allMatch(s -> s == 303), statuses.toString());
            assertEquals("lms.school.example", DbCounts.text(db, "select instance_guid from lti_consumer where id = ?",
                    consumer.id));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from resource_link where consumer_id = ?", consumer.id));
            assertEquals(1, DbCounts.scalar(db, "select count(*) from lti_context where consumer_id = ?", consumer.id));
            for (String user : users) {
                assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", user));
                assertEquals(1, DbCounts.scalar(db, "select count(*) from lti11_outcome_target where lti_user_id = ?",
                        user));
            }
        }
    }

    private Tab prepare(Registered reg, Published res, String deploymentId, String sub) {
        LtiBrowser browser = new LtiBrowser();
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), deploymentId, res.launchUrl(), sub);
        return new Tab(browser, browser.loginAndAuthenticate(platform, reg, res.launchUrl(), spec));
    }

    /** Posts every tab's form from its own thread, all released together. */
    private static List<Integer> fireAtOnce(List<Tab> tabs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tabs.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> posted = new ArrayList<>();
            for (Tab tab : tabs) {
                posted.add(pool.submit(() -> {
                    start.await();
                    return tab.browser().post(tab.form());
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> future : posted) {
                Response response = future.get(60, TimeUnit.SECONDS);
                if (response.statusCode() >= 500) {
                    throw new AssertionError("a launch answered " + response.statusCode() + ": " + response.asString());
                }
                statuses.add(response.statusCode());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
