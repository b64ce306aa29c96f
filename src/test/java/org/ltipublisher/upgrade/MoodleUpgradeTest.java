package org.ltipublisher.upgrade;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;
import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.legacy.Lti11Identity;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.RegistrationSimulator;
import org.ltipublisher.testing.RegistrationSimulator.Family;
import org.ltipublisher.testing.WithPostgres;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Moodle's own upgrade route from LTI 1.1 to 1.3, end to end over real HTTP: a 1.1 tool type with launches and a
 * Basic Outcomes grade; the dynamic registration "update" of that type offering its configuration with
 * oauth_consumer (a wrong sign links and registers nothing, the right one links); 1.3 launches of the old
 * activities, without custom id, sub = the old user_id, landing on the same resources, accounts and enrolments;
 * and the 1.3 grade arriving in the same gradebook item as the 1.1 grade did.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class MoodleUpgradeTest extends WithPostgres {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The simulated Moodle's gradebook: each LTI activity (instance id) has its own grade item. */
    static final Map<String, String> GRADE_ITEM_OF_INSTANCE = Map.of("1", "21", "7", "27");

    PlatformSimulator moodle;
    PlatformServices services;

    @Inject
    DataSource db;

    @BeforeEach
    void startMoodle() {
        moodle = new PlatformSimulator();
        services = new PlatformServices(moodle, "http://localhost:" + RestAssured.port + "/.well-known/jwks.json");
    }

    @AfterEach
    void stopMoodle() {
        moodle.close();
    }

    /** Moodle's lis_result_sourcedid: JSON naming the activity instance and the user (mod/lti/locallib.php). */
    static String sourcedId(String instanceId, String userId) {
        return "{\"data\":{\"instanceid\":\"" + instanceId + "\",\"userid\":\"" + userId
                + "\",\"typeid\":\"1\",\"launchid\":42},\"hash\":\"h\"}";
    }

    /** A 1.1 launch of a Moodle activity (instance) in course 2 by Moodle user {@code userId}: the launch token. */
    static String launch11(ConsumerSimulator consumer, Published resource, String instanceId, String userId) {
        String url = consumer.launchUrl(resource.id());
        List<String[]> fields = ConsumerSimulator.basicLaunch(userId, instanceId);
        fields = ConsumerSimulator.with(fields, "context_id", "2");
        fields = ConsumerSimulator.with(fields, "lis_outcome_service_url", consumer.outcomesUrl());
        fields = ConsumerSimulator.with(fields, "lis_result_sourcedid", sourcedId(instanceId, userId));
        fields = ConsumerSimulator.with(fields, "ext_lms", "moodle-2");
        var response = consumer.post(url, consumer.sign(url, fields));
        assertEquals(303, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.contains(resource.id().toString()), location);
        return token(location);
    }

    /** A 1.3 launch as Moodle sends it after the update: same ids, no custom id, the activity's target URL. */
    Response launch13(Registered reg, String target, String instanceId, String userId) {
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), target, userId)
                .lti("resource_link", Map.of("id", instanceId, "title", "Problem " + instanceId, "description", ""))
                .lti("context", Map.of("id", "2", "label", "INTEROP", "title", "Interop course",
                        "type", List.of("CourseSection")))
                .claim(AGS, Map.of(
                        "scope", List.of(PlatformServices.AGS_SCOPE_PREFIX + "lineitem",
                                PlatformServices.AGS_SCOPE_PREFIX + "score"),
                        "lineitems", reg.issuer() + "/ags/2/lineitems",
                        "lineitem", reg.issuer() + "/ags/2/lineitems/" + GRADE_ITEM_OF_INSTANCE.get(instanceId)));
        return new LtiBrowser().launch(moodle, reg, target, spec);
    }

    static String token(String location) {
        return URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
    }

    static void postScore(ContentApi.Credential credential, String token, double given) {
        ContentApi.as(credential, token).body(Map.of("scoreGiven", given, "scoreMaximum", 10,
                "activityProgress", "Completed", "gradingProgress", "FullyGraded"))
                .post("/api/v1/scores").then().statusCode(202);
    }

    /** The grade item a Basic Outcomes replaceResult went to: Moodle reads the instance from the sourcedid. */
    static String gradeItemOfOutcome(String body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        var doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        String sourcedId = doc.getElementsByTagNameNS(ConsumerSimulator.NS, "sourcedId").item(0).getTextContent();
        return GRADE_ITEM_OF_INSTANCE.get(JSON.readTree(sourcedId).path("data").path("instanceid").asText());
    }

    /** The grade item an AGS score went to: the line item of its path (…/lineitems/{item}/scores). */
    static String gradeItemOfScore(PlatformServices.ReceivedScore score) {
        String[] path = score.path().split("/");
        return path[path.length - 2];
    }

    private String accountOf(String issuer, String subject) {
        return DbCounts.text(db, "select account_id::text from platform_user where issuer = ? and subject = ?", issuer,
                subject);
    }

    private long links() {
        return DbCounts.scalar(db, "select count(*) from lti_consumer_link");
    }

    private static Response open(String registrationUrl, RegistrationSimulator dr) {
        return given().redirects().follow(false).accept(ContentType.JSON)
                .queryParam("openid_configuration", dr.configurationUrl())
                .queryParam("registration_token", dr.registrationToken)
                .get(URI.create(registrationUrl).getPath());
    }

    private static UUID pendingRegistration(String name, List<String> url) {
        Response created = AdminApi.admin().body(Map.of("name", name)).post("/api/v1/registrations")
                .then().statusCode(201).extract().response();
        url.add(created.path("registrationUrl"));
        return UUID.fromString(created.path("id"));
    }

    @Test
    void moodlesUpdateRouteKeepsEveryAccountLinkAndGrade() throws Exception {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published fractions = AdminApi.publish(Map.of("title", "Fractions", "kind", "problem", "maxGrade", 10,
                    "studentProvisioning", "auto", "teacherProvisioning", "auto"));
            Published decimals = AdminApi.publish(Map.of("title", "Decimals", "kind", "problem", "maxGrade", 10,
                    "studentProvisioning", "auto", "teacherProvisioning", "auto"));
            ContentApi.Credential fractionsContent = ContentApi.credential(fractions.id());

            // 1. LTI 1.1: the type's base URL opens Fractions (activity 1); activity 7 has its own URL (Decimals)
            String typeBaseUrl = consumer.launchUrl(fractions.id());
            String student = "4";
            String token11 = launch11(consumer, fractions, "1", student);
            launch11(consumer, decimals, "7", student);
            launch11(consumer, fractions, "1", "5");
            postScore(fractionsContent, token11, 8);
            Eventually.await(WAIT, () -> consumer.received().size() == 1, () -> consumer.received().size()
                    + " outcomes received");
            String columnOf11Grade = gradeItemOfOutcome(consumer.received().get(0).body());
            assertEquals("21", columnOf11Grade);
            String studentAccount = accountOf(Lti11Identity.issuer(consumer.id), student);
            String otherAccount = accountOf(Lti11Identity.issuer(consumer.id), "5");
            assertNotNull(studentAccount);

            // 2. the Moodle admin updates the 1.1 type through dynamic registration
            List<String> urls = new java.util.ArrayList<>();
            UUID registrationId = pendingRegistration("Moodle upgraded " + UUID.randomUUID(), urls);
            RegistrationSimulator dr = new RegistrationSimulator(moodle, Family.MOODLE);

            // a wrong sign (the type holds another secret): refused before anything is registered or linked
            dr.updating("1", RegistrationSimulator.previousLti11Tool("1", typeBaseUrl, consumer.key(),
                    "not-the-consumer-secret-at-all"));
            DbCounts beforeWrong = DbCounts.of(db);
            Response wrong = open(urls.get(0), dr);
            assertEquals(403, wrong.statusCode(), wrong.asString());
            assertEquals("lti11_proof_invalid", wrong.path("error"));
            assertEquals(1, dr.existingToolReads().size(), "the existing configuration was read");
            assertEquals("Bearer " + dr.registrationToken, dr.existingToolReads().get(0));
            assertEquals(0, dr.calls().size(), "nothing registered at the platform");
            assertEquals(0, links(), "nothing linked");
            assertEquals(beforeWrong, DbCounts.of(db));
            assertEquals(null, DbCounts.text(db, "select issuer from registration where id = ?", registrationId));

            // the right sign: registered and linked, with the old base URL kept as target_link_uri
            dr.updating("1", RegistrationSimulator.previousLti11Tool("1", typeBaseUrl, consumer.key(),
                    consumer.secret()));
            Response page = given().redirects().follow(false).queryParam("openid_configuration", dr.configurationUrl())
                    .queryParam("registration_token", dr.registrationToken).get(URI.create(urls.get(0)).getPath());
            assertEquals(200, page.statusCode(), page.asString());
            assertTrue(page.asString().contains("LTI 1.1 consumer"), page.asString());
            assertEquals(1, dr.calls().size());
            @SuppressWarnings("unchecked")
            Map<String, Object> tool = (Map<String, Object>) dr.calls().get(0).body()
                    .get("https://purl.imsglobal.org/spec/lti-tool-configuration");
            assertEquals(typeBaseUrl, tool.get("target_link_uri"), "the type's base URL stays the same resource URL");
            assertEquals(1, links());
            assertEquals(consumer.id.toString(), DbCounts.text(db,
                    "select consumer_id::text from lti_consumer_link where registration_id = ?", registrationId));
            Registered reg = new Registered(registrationId, moodle.issuer(), dr.clientId, "1");

            // 3. the old activities launch over 1.3: same resources, same accounts, same enrolments
            long accounts = DbCounts.scalar(db, "select count(*) from account");
            long enrolments = DbCounts.scalar(db, "select count(*) from enrolment");
            Response first = launch13(reg, typeBaseUrl, "1", student);
            assertEquals(303, first.statusCode(), first.asString());
            assertTrue(first.header("Location").contains(fractions.id().toString()), first.header("Location"));
            assertEquals(studentAccount, accountOf(moodle.issuer(), student), "the 1.1 account is kept");
            Response own = launch13(reg, consumer.launchUrl(decimals.id()), "7", student);
            assertEquals(303, own.statusCode(), own.asString());
            assertTrue(own.header("Location").contains(decimals.id().toString()), own.header("Location"));
            // a type whose base URL was not a resource URL: the tool's launch URL, found by the resource link id
            Response generic = launch13(reg, "http://localhost:" + RestAssured.port + "/lti/launch", "1", "5");
            assertEquals(303, generic.statusCode(), generic.asString());
            assertTrue(generic.header("Location").contains(fractions.id().toString()), generic.header("Location"));
            assertEquals(otherAccount, accountOf(moodle.issuer(), "5"));
            assertEquals(accounts, DbCounts.scalar(db, "select count(*) from account"), "no new account");
            assertEquals(enrolments, DbCounts.scalar(db, "select count(*) from enrolment"), "no new enrolment");

            // 4. the 1.3 grade goes to the same gradebook column as the 1.1 grade did
            postScore(fractionsContent, token(first.header("Location")), 9);
            Eventually.await(WAIT, () -> !services.scoresFor(student).isEmpty(), () -> "scores received: "
                    + services.scores());
            PlatformServices.ReceivedScore score = services.scoresFor(student).get(0);
            assertEquals(columnOf11Grade, gradeItemOfScore(score), score.path());
            assertEquals(9.0, score.body().path("scoreGiven").asDouble(), 1e-9);
            assertEquals(1, consumer.received().size(), "the 1.3 grade went by AGS only");

            // the 1.1 consumer is retired: the rows it shared stay the deployment's, with their enrolments
            AdminApi.admin().delete("/api/v1/consumers/" + consumer.id).then().statusCode(204);
            assertEquals(enrolments, DbCounts.scalar(db, "select count(*) from enrolment"));
            Response afterRetirement = launch13(reg, typeBaseUrl, "1", student);
            assertEquals(303, afterRetirement.statusCode(), afterRetirement.asString());
            assertEquals(enrolments, DbCounts.scalar(db, "select count(*) from enrolment"));
        }
    }

    @Test
    void anUnknownConsumerKeyOrALinkToAnotherRegistrationRefusesTheUpdate() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            List<String> urls = new java.util.ArrayList<>();
            UUID registrationId = pendingRegistration("Moodle unknown key " + UUID.randomUUID(), urls);
            RegistrationSimulator dr = new RegistrationSimulator(moodle, Family.MOODLE);
            dr.updating("1", RegistrationSimulator.previousLti11Tool("1", "https://old.example/tool", "never-configured",
                    "some-secret"));
            Response unknown = open(urls.get(0), dr);
            assertEquals(400, unknown.statusCode(), unknown.asString());
            assertEquals("unknown_lti11_consumer", unknown.path("error"));
            assertEquals(0, dr.calls().size());

            // an update of a 1.3 tool (no oauth_consumer) is a plain registration: nothing linked
            long before = links();
            dr.updating("1", Map.of("client_id", "x", "https://purl.imsglobal.org/spec/lti-tool-configuration",
                    Map.of("version", "1.3.0", "deployment_id", "1", "target_link_uri", "https://old.example/tool")));
            Response plain = open(urls.get(0), dr);
            assertEquals(200, plain.statusCode(), plain.asString());
            assertEquals(before, links());
            assertEquals(moodle.issuer(), DbCounts.text(db, "select issuer from registration where id = ?",
                    registrationId));
        }
    }
}
