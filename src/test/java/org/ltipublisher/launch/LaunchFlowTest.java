package org.ltipublisher.launch;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Full login → launch flows from a simulated platform, for each provisioning mode and role. */
@QuarkusTest
class LaunchFlowTest extends WithPostgres {

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

    private Registered register() {
        return AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
    }

    private static LaunchSpec spec(Registered reg, Published res, String sub) {
        return LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(), sub);
    }

    @Test
    void learnerLaunchCreatesAccountEnrolsAndRedirectsToContent() {
        Registered reg = register();
        Published res = AdminApi.publish("Fractions", "auto", "prompt");
        String sub = "learner-" + UUID.randomUUID();
        LtiBrowser browser = new LtiBrowser();

        Response launch = browser.launch(platform, reg, res.launchUrl(), spec(reg, res, sub));

        assertEquals(303, launch.statusCode(), launch.asString());
        String location = launch.header("Location");
        assertTrue(location.contains("/activity/" + res.id() + "?launch_token="), location);
        // the authentication request carried every parameter of Security Framework §5.1.1.2
        Map<String, String> auth = platform.authRequests().get(platform.authRequests().size() - 1);
        assertEquals("openid", auth.get("scope"));
        assertEquals("id_token", auth.get("response_type"));
        assertEquals("form_post", auth.get("response_mode"));
        assertEquals("none", auth.get("prompt"));
        assertEquals(reg.clientId(), auth.get("client_id"));
        assertTrue(auth.get("redirect_uri").endsWith("/lti/launch"));
        assertEquals("{\"cmid\":2,\"launchid\":\"x\"}", auth.get("lti_message_hint"));
        assertNotNull(auth.get("nonce"));
        // account from the launch's name and e-mail, linked and enrolled as learner in the context
        assertEquals(sub + "@example.edu", DbCounts.text(db, "select a.email from account a join platform_user p on "
                + "p.account_id = a.id where p.issuer = ? and p.subject = ?", reg.issuer(), sub));
        assertEquals("Ada Lovelace", DbCounts.text(db, "select a.full_name from account a join platform_user p on "
                + "p.account_id = a.id where p.subject = ?", sub));
        assertEquals("LEARNER", DbCounts.text(db, "select e.role_class from enrolment e join platform_user p on "
                + "p.account_id = e.account_id join lti_context c on c.id = e.context_id "
                + "where p.subject = ? and e.resource_id = ? and c.context_id = 'course-1'", sub, res.id()));
        assertEquals(reg.issuer() + "/ags/course-1/lineitems/1", DbCounts.text(db, "select l.ags_lineitem_url "
                + "from resource_link l join deployment d on d.id = l.deployment_id "
                + "where d.registration_id = ? and l.resource_link_id = 'rl-1'", reg.id()));
        assertEquals(reg.issuer() + "/nrps/course-1/memberships", DbCounts.text(db, "select c.memberships_url "
                + "from lti_context c join deployment d on d.id = c.deployment_id where d.registration_id = ?", reg.id()));
        // the state cookie is cleared after the launch
        assertTrue(browser.cookies().keySet().stream().noneMatch(n -> n.startsWith("lti_state_")));

        // the content page shows who launched
        browser.get(location).then().statusCode(200).body(containsString("Ada Lovelace"))
                .body(containsString("LEARNER"));
    }

    @Test
    void repeatedLaunchReusesTheAccountAndRefreshesTheProfile() {
        Registered reg = register();
        Published res = AdminApi.publish("Geometry", "auto", "auto");
        String sub = "repeat-" + UUID.randomUUID();
        assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(), spec(reg, res, sub)).statusCode());
        String first = DbCounts.text(db, "select account_id::text from platform_user where subject = ?", sub);

        Response again = new LtiBrowser().launch(platform, reg, res.launchUrl(),
                spec(reg, res, sub).claim("email", "new-address@example.edu"));

        assertEquals(303, again.statusCode(), again.asString());
        assertEquals(first, DbCounts.text(db, "select account_id::text from platform_user where subject = ?", sub));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub));
        assertEquals("new-address@example.edu",
                DbCounts.text(db, "select email from account where id = ?::uuid", first));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from enrolment where account_id = ?::uuid", first));
    }

    /**
     * A returning user's launch is written by one statement (AdmissionStore): every row the general
     * path writes must come out the same, including a launch without a context.
     */
    @Test
    void returningUserLaunchRefreshesContextLinkEnrolmentAndProfile() {
        Registered reg = register();
        Published res = AdminApi.publish("Statistics", "auto", "auto");
        String sub = "returning-" + UUID.randomUUID();
        assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(), spec(reg, res, sub)).statusCode());
        String account = DbCounts.text(db, "select account_id::text from platform_user where subject = ?", sub);
        String firstSeen = DbCounts.text(db, "select last_launch_at::text from platform_user where subject = ?", sub);

        Response again = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec(reg, res, sub)
                .roles("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor")
                .lti("context", Map.of("id", "course-1", "label", "ALG102", "title", "Algebra 102"))
                .lti("resource_link", Map.of("id", "rl-1", "title", "Week 2"))
                .claim("name", "Ada King").without("email"));

        assertEquals(303, again.statusCode(), again.asString());
        assertTrue(again.header("Location").contains("launch_token="), again.header("Location"));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub));
        assertTrue(DbCounts.text(db, "select last_launch_at::text from platform_user where subject = ?", sub)
                .compareTo(firstSeen) > 0);
        // the profile takes what the platform sent and keeps what it left out
        assertEquals("Ada King", DbCounts.text(db, "select full_name from account where id = ?::uuid", account));
        assertEquals(sub + "@example.edu", DbCounts.text(db, "select email from account where id = ?::uuid", account));
        String context = DbCounts.text(db, "select e.context_id::text from enrolment e where e.account_id = ?::uuid",
                account);
        assertEquals("Algebra 102", DbCounts.text(db, "select title from lti_context where id = ?::uuid", context));
        assertEquals("ALG102", DbCounts.text(db, "select label from lti_context where id = ?::uuid", context));
        assertEquals("Week 2", DbCounts.text(db, "select l.title from resource_link l where l.context_id = ?::uuid "
                + "and l.resource_id = ?::uuid", context, res.id().toString()));
        assertEquals("INSTRUCTOR", DbCounts.text(db, "select role_class from enrolment where account_id = ?::uuid",
                account));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from enrolment where account_id = ?::uuid", account));

        // without a context: a context-less enrolment and link, next to the course one
        Response noContext = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec(reg, res, sub)
                .withoutLti("context").lti("resource_link", Map.of("id", "rl-solo-" + sub)));
        assertEquals(303, noContext.statusCode(), noContext.asString());
        assertEquals(2, DbCounts.scalar(db, "select count(*) from enrolment where account_id = ?::uuid", account));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from enrolment where account_id = ?::uuid "
                + "and context_id is null", account));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from resource_link where resource_link_id = ? "
                + "and context_id is null", "rl-solo-" + sub));
    }

    @Test
    void anonymousModeStoresNoPersonalData() {
        Registered reg = register();
        Published res = AdminApi.publish("Anonymous quiz", "anonymous", "anonymous");
        String sub = "anon-" + UUID.randomUUID();

        assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(), spec(reg, res, sub)).statusCode());

        String accountId = DbCounts.text(db, "select account_id::text from platform_user where subject = ?", sub);
        String username = DbCounts.text(db, "select username from account where id = ?::uuid", accountId);
        assertTrue(username.startsWith("anon-"), username);
        assertEquals(username + "@lti-publisher.invalid",
                DbCounts.text(db, "select email from account where id = ?::uuid", accountId));
        assertNull(DbCounts.text(db, "select coalesce(given_name, family_name, full_name) from account where id = ?::uuid",
                accountId));
        // a later launch with a changed name still stores nothing personal
        assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(),
                spec(reg, res, sub).claim("name", "Someone Else")).statusCode());
        assertNull(DbCounts.text(db, "select full_name from account where id = ?::uuid", accountId));
    }

    @Test
    void instructorInPromptModeCreatesANewAccountThenGoesStraightIn() {
        Registered reg = register();
        Published res = AdminApi.publish("Course", "auto", "prompt");
        String sub = "teacher-" + UUID.randomUUID();
        LtiBrowser browser = new LtiBrowser();
        LaunchSpec teacher = spec(reg, res, sub).roles(INSTRUCTOR);

        Response page = browser.launch(platform, reg, res.launchUrl(), teacher);

        assertEquals(200, page.statusCode(), page.asString());
        assertTrue(page.asString().contains("Create a new account"));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub));
        String pending = pendingToken(page.asString());

        Response created = browser.post("/lti/account", Map.of("pending", pending, "action", "create"));

        assertEquals(303, created.statusCode(), created.asString());
        assertEquals("INSTRUCTOR", DbCounts.text(db, "select e.role_class from enrolment e join platform_user p "
                + "on p.account_id = e.account_id where p.subject = ?", sub));
        // linked now: the next launch skips the prompt
        assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(),
                spec(reg, res, sub).roles(INSTRUCTOR)).statusCode());
    }

    @Test
    void instructorInPromptModeLinksAnExistingAccountBySigningIn() {
        Registered reg = register();
        Published res = AdminApi.publish("Course", "auto", "prompt");
        String sub = "teacher-" + UUID.randomUUID();
        String username = "grace-" + UUID.randomUUID();
        UUID existing = AdminApi.createAccount(username, "grace@example.edu", "correct horse battery");
        LtiBrowser browser = new LtiBrowser();
        Response page = browser.launch(platform, reg, res.launchUrl(), spec(reg, res, sub).roles(INSTRUCTOR));
        String pending = pendingToken(page.asString());

        Response wrong = browser.post("/lti/account",
                Map.of("pending", pending, "action", "signin", "username", username, "password", "wrong password"));
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.asString().contains("wrong password"));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub));

        Response linked = browser.post("/lti/account", Map.of("pending", pendingToken(wrong.asString()), "action",
                "signin", "username", username, "password", "correct horse battery"));

        assertEquals(303, linked.statusCode(), linked.asString());
        assertEquals(existing.toString(), DbCounts.text(db, "select account_id::text from platform_user where subject = ?", sub));
        assertTrue(browser.cookies().containsKey("lti_publisher_session"), "signed in after linking");
    }

    @Test
    void existingOnlyModeAdmitsOnlyTheAccountWithTheLaunchEmail() {
        Registered reg = register();
        Published res = AdminApi.publish("Exam", "existing-only", "existing-only");
        String sub = "student-" + UUID.randomUUID();
        String email = sub + "@example.edu";
        String other = "other-" + UUID.randomUUID();
        AdminApi.createAccount(other, "someone.else@example.edu", "password-other");
        String owner = "owner-" + UUID.randomUUID();
        UUID ownerId = AdminApi.createAccount(owner, email.toUpperCase(), "password-owner");
        LtiBrowser browser = new LtiBrowser();

        Response page = browser.launch(platform, reg, res.launchUrl(), spec(reg, res, sub));
        assertEquals(200, page.statusCode());
        assertTrue(page.asString().contains("Sign in to continue"));
        assertTrue(!page.asString().contains("Create a new account"));

        Response mismatch = browser.post("/lti/account", Map.of("pending", pendingToken(page.asString()),
                "action", "signin", "username", other, "password", "password-other"));
        assertEquals(401, mismatch.statusCode());
        assertTrue(mismatch.asString().contains("another e-mail address"));
        Response create = browser.json().post("/lti/account",
                Map.of("pending", pendingToken(mismatch.asString()), "action", "create"));
        assertEquals(403, create.statusCode());
        assertEquals("existing_account_required", create.path("error"));
        assertEquals(0, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub));

        Response ok = browser.post("/lti/account", Map.of("pending", pendingToken(mismatch.asString()),
                "action", "signin", "username", owner, "password", "password-owner"));
        assertEquals(303, ok.statusCode(), ok.asString());
        assertEquals(ownerId.toString(), DbCounts.text(db, "select account_id::text from platform_user where subject = ?", sub));
    }

    @Test
    void existingOnlyModeLinksTheSignedInAccountDirectly() {
        Registered reg = register();
        Published res = AdminApi.publish("Exam 2", "existing-only", "existing-only");
        String sub = "student-" + UUID.randomUUID();
        String username = "signed-" + UUID.randomUUID();
        UUID accountId = AdminApi.createAccount(username, sub + "@example.edu", "password-123");
        LtiBrowser browser = new LtiBrowser();
        browser.post("/accounts/signin", Map.of("username", username, "password", "password-123"))
                .then().statusCode(200);

        Response launch = browser.launch(platform, reg, res.launchUrl(), spec(reg, res, sub));

        assertEquals(303, launch.statusCode(), launch.asString());
        assertEquals(accountId.toString(), DbCounts.text(db, "select account_id::text from platform_user where subject = ?", sub));
    }

    @Test
    void rolesInShortFormUnknownOrEmptyAreAcceptedAndClassified() {
        Registered reg = register();
        Published res = AdminApi.publish("Roles", "auto", "auto");
        Map<List<String>, String> cases = Map.of(
                List.of("Instructor"), "INSTRUCTOR",
                List.of("http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"), "INSTRUCTOR",
                List.of("http://example.edu/roles#Wizard"), "LEARNER",
                List.of(), "LEARNER",
                List.of("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty"), "INSTRUCTOR",
                List.of(LEARNER, "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty"), "LEARNER");
        cases.forEach((roles, expected) -> {
            String sub = "roles-" + UUID.randomUUID();
            Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(),
                    spec(reg, res, sub).lti("roles", roles));
            assertEquals(303, launch.statusCode(), roles + ": " + launch.asString());
            assertEquals(expected, DbCounts.text(db, "select e.role_class from enrolment e join platform_user p "
                    + "on p.account_id = e.account_id where p.subject = ?", sub), roles.toString());
        });
    }

    @Test
    void twoRegistrationsOnOneIssuerAreTellApartByClientId() {
        Registered first = register();
        Registered second = register();
        Published res = AdminApi.publish("Shared", "auto", "auto");
        String sub = "shared-" + UUID.randomUUID();

        assertEquals(303, new LtiBrowser().launch(platform, first, res.launchUrl(), spec(first, res, sub)).statusCode());
        assertEquals(303, new LtiBrowser().launch(platform, second, res.launchUrl(), spec(second, res, sub)).statusCode());
        // the same platform user (issuer + sub) is one account whichever registration it came through
        assertEquals(1, DbCounts.scalar(db, "select count(*) from platform_user where subject = ?", sub));
        // without client_id the issuer is ambiguous
        Response ambiguous = new LtiBrowser().json().login(Map.of("iss", platform.issuer(), "login_hint", "x",
                "target_link_uri", res.launchUrl()));
        assertEquals(400, ambiguous.statusCode());
        assertEquals("ambiguous_issuer", ambiguous.path("error"));
    }

    @Test
    void platformKeyRotationIsPickedUpWithOneJwksRefetch() {
        Registered reg = register();
        Published res = AdminApi.publish("Rotation", "auto", "auto");
        assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(),
                spec(reg, res, "rot-" + UUID.randomUUID())).statusCode());
        int fetchesBefore = platform.jwksFetches();
        assertEquals(303, new LtiBrowser().launch(platform, reg, res.launchUrl(),
                spec(reg, res, "rot-" + UUID.randomUUID())).statusCode());
        assertEquals(fetchesBefore, platform.jwksFetches(), "a cached JWKS is not fetched on every launch");

        platform.rotateKey();
        Response rotated = new LtiBrowser().launch(platform, reg, res.launchUrl(),
                spec(reg, res, "rot-" + UUID.randomUUID()));

        assertEquals(303, rotated.statusCode(), rotated.asString());
        assertEquals(fetchesBefore + 1, platform.jwksFetches(), "unknown kid refetches the JWKS once");
    }

    @Test
    void unknownDeploymentIsAddedWhenTheRegistrationSaysSo() {
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), null, "ADD");
        Published res = AdminApi.publish("Canvas course install", "auto", "auto");
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "canvas-course-42", res.launchUrl(),
                "c-" + UUID.randomUUID());

        Response launch = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec);

        assertEquals(303, launch.statusCode(), launch.asString());
        assertEquals(1, DbCounts.scalar(db, "select count(*) from deployment where registration_id = ? "
                + "and deployment_id = 'canvas-course-42' and auto_added", reg.id()));
    }

    @Test
    void resourceIsFoundByCustomIdWhenTheTargetIsTheGenericLaunchUrl() {
        Registered reg = register();
        Published res = AdminApi.publish("Deep linked", "auto", "auto");
        String target = res.launchUrl().replaceFirst("/lti/resources/.*", "/lti/launch");
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), target,
                "dl-" + UUID.randomUUID()).lti("custom", Map.of("id", res.id().toString()));

        Response launch = new LtiBrowser().launch(platform, reg, target, spec);

        assertEquals(303, launch.statusCode(), launch.asString());
        assertTrue(launch.header("Location").contains("/activity/" + res.id()));
    }

    @Test
    void contentVerifiesTheLaunchTokenAndTheSampleActivityRecordsAScore() {
        Registered reg = register();
        Published res = AdminApi.publish("Scored", "auto", "auto");
        String sub = "score-" + UUID.randomUUID();
        LtiBrowser browser = new LtiBrowser();
        String location = browser.launch(platform, reg, res.launchUrl(), spec(reg, res, sub)).header("Location");
        String token = java.net.URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13),
                java.nio.charset.StandardCharsets.UTF_8);

        io.restassured.RestAssured.given().auth().oauth2(token).get("/api/v1/launch-context").then().statusCode(200)
                .body("resourceId", org.hamcrest.Matchers.equalTo(res.id().toString()))
                .body("platformUserId", org.hamcrest.Matchers.equalTo(sub))
                .body("roleClass", org.hamcrest.Matchers.equalTo("LEARNER"));
        io.restassured.RestAssured.given().auth().oauth2(token + "x").get("/api/v1/launch-context").then()
                .statusCode(401).body("error", org.hamcrest.Matchers.equalTo("invalid_launch_token"));

        browser.post("/activity/" + res.id() + "/score", Map.of("launch_token", token, "scoreGiven", "7.5",
                "comment", "well done")).then().statusCode(200).body(containsString("7.5 / 10 recorded"));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from score s join platform_user p on p.account_id = "
                + "s.account_id where p.subject = ? and s.score_given = 7.5", sub));
        Response tooHigh = browser.acceptJsonOrHtml().post("/activity/" + res.id() + "/score",
                Map.of("launch_token", token, "scoreGiven", "11"));
        assertEquals(422, tooHigh.statusCode());
        assertEquals("score_above_maximum", tooHigh.path("error"));
    }

    @Test
    void loginAcceptsPostAsWellAsGet() {
        Registered reg = register();
        Published res = AdminApi.publish("Post login", "auto", "auto");
        Response login = new LtiBrowser().post("/lti/login", Map.of("iss", reg.issuer(), "login_hint", "h",
                "target_link_uri", res.launchUrl(), "client_id", reg.clientId()));
        assertEquals(302, login.statusCode());
        assertTrue(login.header("Location").startsWith(platform.authUrl() + "?"));
        login.then().header("Set-Cookie", startsWith("lti_state_")).header("Set-Cookie", containsString("SameSite=None"))
                .header("Set-Cookie", containsString("Secure")).header("Set-Cookie", containsString("HttpOnly"));
        assertNotEquals(null, login.header("Location"));
    }

    static String pendingToken(String html) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"pending\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "no pending launch in the page: " + html);
        return m.group(1);
    }
}
