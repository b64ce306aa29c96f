package org.ltipublisher.roster;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformServices.Roster;
import org.ltipublisher.testing.WithPlatformServices;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/** Member sync over NRPS against a simulated platform: large rosters, paging, removals, failures, differences. */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class MemberSyncTest extends WithPlatformServices {

    static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";

    @Inject
    DataSource db;

    /** A course whose learner launched a member-synced resource once (so the tool knows the roster URL). */
    record Course(Registered reg, Published res, String context, String launcher, Roster roster) {
    }

    private Course course() {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published res = AdminApi.publish(Map.of("title", "Synced course", "kind", "course", "maxGrade", 100,
                "memberSync", true, "studentProvisioning", "auto", "teacherProvisioning", "prompt"));
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
        return new Course(reg, res, context, launcher, roster);
    }

    /** Asks for a member sync now and waits for a run newer than the last one; returns the run's JSON path root. */
    private Map<String, Object> syncMembers(Course c) {
        Object before = lastRun(c).get("runId");
        AdminApi.admin().post("/api/v1/resources/" + c.res().id() + "/sync/members").then().statusCode(202)
                .body("kind", equalTo("members"));
        Eventually.await(Duration.ofSeconds(240), () -> {
            Map<String, Object> run = lastRun(c);
            return run.get("runId") != null && !run.get("runId").equals(before) && run.get("finishedAt") != null;
        }, () -> "member sync did not finish: " + lastRun(c));
        return lastRun(c);
    }

    private Map<String, Object> lastRun(Course c) {
        List<Map<String, Object>> runs = AdminApi.admin().get("/api/v1/resources/" + c.res().id() + "/sync").then()
                .statusCode(200).extract().path("");
        return runs.stream().filter(r -> "members".equals(r.get("kind"))).findFirst().orElseThrow();
    }

    private long active(Course c) {
        return DbCounts.scalar(db, "select count(*) from enrolment where resource_id = ? and status = 'ACTIVE'", c.res().id());
    }

    @SuppressWarnings("unchecked")
    private static String counts(Map<String, Object> run, String field) {
        return String.valueOf(((Map<String, Object>) run.get("counts")).get(field));
    }

    @Test
    void tenThousandMembersOverManyPagesAreProvisionedAndEnrolled() {
        Course c = course();
        for (int i = 1; i < 10_000; i++) {
            boolean teacher = i % 1000 == 0;
            c.roster().add("m-" + i + "-" + c.context(), "Member " + i, "m" + i + "@example.edu", "Active",
                    teacher ? INSTRUCTOR : LEARNER);
        }
        Instant start = Instant.now();

        Map<String, Object> run = syncMembers(c);

        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        assertEquals("ok", run.get("result"), String.valueOf(run));
        assertEquals("20", counts(run, "pages"), "10,000 members at 500 a page");
        assertEquals("10000", counts(run, "members"));
        assertEquals("9", counts(run, "skipped"), "teachers use prompt mode: no account is made for them");
        // 9,990 learners plus the launcher, each with an account, linked and enrolled by the sync
        assertEquals(9_991, active(c));
        assertEquals(9_990, DbCounts.scalar(db, "select count(*) from enrolment where resource_id = ? "
                + "and source = 'MEMBER_SYNC'", c.res().id()));
        assertEquals("Member 17", DbCounts.text(db, "select a.full_name from account a join platform_user p on "
                + "p.account_id = a.id where p.subject = ?", "m-17-" + c.context()));
        assertTrue(c.roster().requests().get(0).contains("rlid=rl-1"), "resource-link roster first: "
                + c.roster().requests().get(0));
        assertTrue(c.roster().requests().get(0).contains("limit=500"));
        System.out.printf("member sync: 10,000 members, 20 pages in %.1f s%n", seconds);

        AdminApi.admin().get("/api/v1/resources/" + c.res().id() + "/enrolments").then().statusCode(200)
                .body("size()", equalTo(9_991));
    }

    @Test
    void aFailingPageUnenrolsNobodyAndACompleteReadRemovesTheAbsent() {
        Course c = course();
        c.roster().offerDifferences(false);
        for (int i = 1; i < 1200; i++) {
            c.roster().add("r-" + i + "-" + c.context(), "Member " + i, null, "Active", LEARNER);
        }
        assertEquals("ok", syncMembers(c).get("result"));
        assertEquals(1200, active(c));

        for (int i = 1; i <= 50; i++) {
            c.roster().remove("r-" + i + "-" + c.context());
        }
        for (int i = 51; i <= 60; i++) {
            c.roster().add("r-" + i + "-" + c.context(), "Member " + i, null, "Inactive", LEARNER);
        }
        c.roster().failPage(2, 1);

        Map<String, Object> failed = syncMembers(c);

        assertEquals("failed", failed.get("result"), String.valueOf(failed));
        assertTrue(((String) failed.get("message")).contains("nobody unenrolled"), String.valueOf(failed));
        assertEquals(1200, active(c), "a partial read unenrols nobody");

        Map<String, Object> complete = syncMembers(c);

        assertEquals("ok", complete.get("result"), String.valueOf(complete));
        assertEquals("60", counts(complete, "removed"));
        assertEquals(1140, active(c));
        assertEquals("inactive", DbCounts.text(db, "select lower(e.status) from enrolment e join platform_user p on "
                + "p.account_id = e.account_id where p.subject = ? and e.resource_id = ?", "r-55-" + c.context(),
                c.res().id()));
    }

    @Test
    void laterRunsReadOnlyTheDifferences() {
        Course c = course();
        for (int i = 1; i <= 300; i++) {
            c.roster().add("d-" + i + "-" + c.context(), "Member " + i, null, "Active", LEARNER);
        }
        assertEquals("ok", syncMembers(c).get("result"));
        assertEquals(301, active(c));
        int requestsBefore = c.roster().requests().size();

        c.roster().remove("d-1-" + c.context()).remove("d-2-" + c.context());
        c.roster().add("d-3-" + c.context(), "Member 3", null, "Inactive", LEARNER);
        c.roster().add("d-new-" + c.context(), "Newcomer", "new@example.edu", "Active", LEARNER);
        c.roster().add("d-4-" + c.context(), "Member Four Renamed", "four@example.edu", "Active", LEARNER);

        Map<String, Object> run = syncMembers(c);

        assertEquals("ok", run.get("result"), String.valueOf(run));
        List<String> requests = c.roster().requests().subList(requestsBefore, c.roster().requests().size());
        assertEquals(1, requests.size(), "one page of differences: " + requests);
        assertTrue(requests.get(0).contains("since="), requests.get(0));
        assertEquals("3", counts(run, "removed"));
        assertEquals("1", counts(run, "added"));
        assertEquals(299, active(c));
        assertEquals("Member Four Renamed", DbCounts.text(db, "select a.full_name from account a join platform_user p on "
                + "p.account_id = a.id where p.subject = ?", "d-4-" + c.context()));
    }

    @Test
    void aResourceCanOverrideTheSyncInterval() {
        Course c = course();
        AdminApi.admin().body(Map.of("intervalMinutes", 0)).put("/api/v1/resources/" + c.res().id() + "/sync/members")
                .then().statusCode(422).body("error", equalTo("invalid_interval"));
        AdminApi.admin().body(Map.of("intervalMinutes", 5)).put("/api/v1/resources/" + c.res().id() + "/sync/roster")
                .then().statusCode(404);
        AdminApi.admin().body(Map.of("intervalMinutes", 7)).put("/api/v1/resources/" + c.res().id() + "/sync/members")
                .then().statusCode(200).body("find { it.kind == 'members' }.intervalMinutes", equalTo(7));

        Map<String, Object> run = syncMembers(c);

        Instant finished = Instant.parse((String) run.get("finishedAt"));
        Instant next = Instant.parse((String) run.get("nextRunAt"));
        assertEquals(Duration.ofMinutes(7).toSeconds(), Duration.between(finished, next).toSeconds(), 2.0,
                "next run one overridden interval after the last: " + run);
    }

    @Test
    void membersLaunchingWhileTheSyncCreatesTheirAccountsEndWithOneAccountEach() throws Exception {
        Course c = course();
        int members = 1_500;
        for (int i = 0; i < members; i++) {
            c.roster().add("race-" + i + "-" + c.context(), "Racer " + i, null, "Active", LEARNER);
        }
        AdminApi.admin().post("/api/v1/resources/" + c.res().id() + "/sync/members").then().statusCode(202);
        // meanwhile members of every page launch for the first time, each creating their account if the sync has not
        java.util.concurrent.ExecutorService launchers = java.util.concurrent.Executors.newFixedThreadPool(6);
        List<java.util.concurrent.Future<Integer>> launches = new java.util.ArrayList<>();
        for (int i = 0; i < members; i += 50) {
            String sub = "race-" + i + "-" + c.context();
            launches.add(launchers.submit(() -> new LtiBrowser().launch(platform, c.reg(), c.res().launchUrl(),
                    LaunchSpec.resourceLink(c.reg().issuer(), c.reg().clientId(), "dep-1", c.res().launchUrl(), sub)
                            .lti("context", Map.of("id", c.context(), "title", "Course"))).statusCode()));
        }
        for (var launch : launches) {
            assertEquals(303, launch.get());
        }
        launchers.shutdown();
        Eventually.await(Duration.ofSeconds(240), () -> lastRun(c).get("finishedAt") != null
                && lastRun(c).get("counts") != null, () -> "member sync did not finish: " + lastRun(c));
        Map<String, Object> run = lastRun(c);
        assertEquals("ok", run.get("result"), String.valueOf(run));
        assertEquals(members, DbCounts.scalar(db, "select count(*) from platform_user where issuer = ? and subject like ?",
                c.reg().issuer(), "race-%-" + c.context()), "one link per member");
        assertEquals(members, DbCounts.scalar(db, "select count(distinct account_id) from platform_user where issuer = ? "
                + "and subject like ?", c.reg().issuer(), "race-%-" + c.context()), "one account per member");
        assertEquals(0, DbCounts.scalar(db, "select count(*) from account a where a.full_name like 'Racer %' and not exists "
                + "(select 1 from platform_user p where p.account_id = a.id)"), "no account left unlinked");
        assertEquals(members + 1, active(c));
    }

    @Test
    void syncNowIsRefusedWhenMemberSyncIsOff() {
        Published res = AdminApi.publish("No sync", "auto", "auto");
        AdminApi.admin().post("/api/v1/resources/" + res.id() + "/sync/members").then().statusCode(409)
                .body("error", equalTo("sync_off"));
        AdminApi.admin().post("/api/v1/resources/" + UUID.randomUUID() + "/sync/members").then().statusCode(404);
        io.restassured.RestAssured.given().post("/api/v1/resources/" + res.id() + "/sync/members").then().statusCode(401);
    }
}
