package org.ltipublisher.roster;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
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
import io.restassured.response.Response;

/**
 * Moodle's "Member sync mode" and the enrolment rules in member sync: "enrol new" unenrols nobody,
 * "unenrol missing" adds nobody, and sync never enrols learners beyond the maximum.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class MemberSyncModeTest extends WithPlatformServices {

    static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";

    @Inject
    DataSource db;

    record Course(Registered reg, Published res, String context, String launcher, Roster roster) {
    }

    /** A member-synced course with these settings, launched once by a learner so the tool knows the roster. */
    private Course course(Object... settings) {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Map<String, Object> body = new HashMap<>(Map.of("title", "Synced course", "kind", "course", "maxGrade", 100,
                "memberSync", true, "studentProvisioning", "auto", "teacherProvisioning", "prompt"));
        for (int i = 0; i < settings.length; i += 2) {
            body.put((String) settings[i], settings[i + 1]);
        }
        Published res = AdminApi.publish(body);
        String context = "ctx-" + UUID.randomUUID();
        String launcher = "launcher-" + UUID.randomUUID();
        assertEquals(303, launch(reg, res, context, launcher).statusCode());
        Roster roster = services.roster(context);
        roster.offerDifferences(false); // every run reads the whole roster
        roster.add(launcher, "Ada Lovelace", launcher + "@example.edu", "Active", LEARNER);
        return new Course(reg, res, context, launcher, roster);
    }

    private static Response launch(Registered reg, Published res, String context, String sub) {
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(), sub)
                .lti("context", Map.of("id", context, "title", "Course"))
                .claim(NRPS, Map.of("context_memberships_url", platform.issuer() + "/nrps/" + context + "/memberships",
                        "service_versions", List.of("2.0")));
        return new LtiBrowser().launch(platform, reg, res.launchUrl(), spec);
    }

    private Map<String, Object> syncMembers(Course c) {
        Object before = lastRun(c).get("runId");
        AdminApi.admin().post("/api/v1/resources/" + c.res().id() + "/sync/members").then().statusCode(202)
                .body("kind", equalTo("members"));
        Eventually.await(Duration.ofSeconds(120), () -> {
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
        return DbCounts.scalar(db, "select count(*) from enrolment where resource_id = ? and status = 'ACTIVE'",
                c.res().id());
    }

    private boolean isActive(Course c, String sub) {
        return DbCounts.scalar(db, "select count(*) from enrolment e join platform_user p on p.account_id = e.account_id "
                + "where p.subject = ? and e.resource_id = ? and e.status = 'ACTIVE'", sub, c.res().id()) == 1;
    }

    @SuppressWarnings("unchecked")
    private static String counts(Map<String, Object> run, String field) {
        return String.valueOf(((Map<String, Object>) run.get("counts")).get(field));
    }

    @Test
    void enrolNewUnenrolsNobody() {
        Course c = course("memberSyncMode", "enrol-new");
        for (int i = 1; i <= 5; i++) {
            c.roster().add("n-" + i + "-" + c.context(), "Member " + i, null, "Active", LEARNER);
        }
        assertEquals("ok", syncMembers(c).get("result"));
        assertEquals(6, active(c));

        c.roster().remove("n-1-" + c.context()).remove(c.launcher());
        c.roster().add("n-2-" + c.context(), "Member 2", null, "Inactive", LEARNER);
        c.roster().add("n-new-" + c.context(), "Newcomer", null, "Active", LEARNER);

        Map<String, Object> run = syncMembers(c);

        assertEquals("ok", run.get("result"), String.valueOf(run));
        assertEquals("1", counts(run, "added"));
        assertEquals("0", counts(run, "removed"));
        assertEquals(7, active(c), "the absent and inactive members stay enrolled");
        assertEquals(true, isActive(c, c.launcher()));
        assertEquals(true, isActive(c, "n-1-" + c.context()));
    }

    @Test
    void unenrolMissingAddsNobody() {
        Course c = course("memberSyncMode", "unenrol-missing");
        for (int i = 1; i <= 5; i++) {
            c.roster().add("u-" + i + "-" + c.context(), "Member " + i, null, "Active", LEARNER);
        }

        Map<String, Object> first = syncMembers(c);

        assertEquals("ok", first.get("result"), String.valueOf(first));
        assertEquals("0", counts(first, "added"));
        assertEquals(1, active(c), "only the learner who launched is enrolled");
        assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject like ?",
                "u-%-" + c.context()), "no account is made for members sync may not enrol");

        // a member who launched is enrolled by the launch, and unenrolled once missing from the roster
        assertEquals(303, launch(c.reg(), c.res(), c.context(), "u-1-" + c.context()).statusCode());
        assertEquals(2, active(c));
        c.roster().remove("u-1-" + c.context());

        Map<String, Object> second = syncMembers(c);

        assertEquals("ok", second.get("result"), String.valueOf(second));
        assertEquals("0", counts(second, "added"));
        assertEquals("1", counts(second, "removed"));
        assertEquals(false, isActive(c, "u-1-" + c.context()));
        assertEquals(true, isActive(c, c.launcher()), "a member still on the roster stays enrolled");
    }

    @Test
    void syncEnrolsNoLearnerBeyondTheMaximum() {
        Course c = course("maxEnrolled", 3);
        for (int i = 1; i <= 5; i++) {
            c.roster().add("m-" + i + "-" + c.context(), "Member " + i, null, "Active", LEARNER);
        }

        Map<String, Object> run = syncMembers(c);

        assertEquals("ok", run.get("result"), String.valueOf(run));
        assertEquals("2", counts(run, "added"));
        assertEquals("3", counts(run, "skipped"));
        assertEquals(3, active(c));
        assertEquals(true, isActive(c, c.launcher()), "the learner who launched keeps the seat");
    }
}
