package org.ltipublisher.legacy;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;
import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.legacy.outcomes.BasicOutcomesClient;
import org.ltipublisher.legacy.outcomes.OutcomeDeliveryFailure;
import org.ltipublisher.legacy.outcomes.OutcomeTarget;
import org.ltipublisher.legacy.outcomes.OutcomeTargets;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.ConsumerSimulator.Answer;
import org.ltipublisher.testing.ConsumerSimulator.ReceivedOutcome;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.WithPostgres;
import org.w3c.dom.Document;

import io.quarkus.test.junit.QuarkusTest;

/** Basic Outcomes from a launch's lis_outcome_service_url to a simulated consumer that checks every signature. */
@QuarkusTest
class BasicOutcomesTest extends WithPostgres {

    @Inject
    DataSource db;

    @Inject
    BasicOutcomesClient client;

    @Inject
    OutcomeTargets targets;

    /** A sourcedid with XML metacharacters: the POX body must stay well-formed and carry it unchanged. */
    static final String SOURCED_ID = "course-11:rl-o:<user & \"friends\">";

    private String launchWithOutcomes(ConsumerSimulator consumer, Published res, String user) {
        String url = consumer.launchUrl(res.id());
        List<String[]> fields = ConsumerSimulator.with(ConsumerSimulator.with(ConsumerSimulator.basicLaunch(user, "rl-o"),
                "lis_outcome_service_url", consumer.outcomesUrl() + "?tenant=a%20b"), "lis_result_sourcedid", SOURCED_ID);
        assertEquals(303, consumer.post(url, consumer.sign(url, fields)).statusCode());
        return AdminApi.admin().get("/api/v1/consumers/" + consumer.id + "/outcomes").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].ltiUserId", equalTo(user))
                .extract().path("[0].id");
    }

    private static Document xml(String body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String textOf(Document doc, String localName) {
        return doc.getElementsByTagNameNS(ConsumerSimulator.NS, localName).item(0).getTextContent();
    }

    @Test
    void replaceReadAndDeleteResultRoundTripSignedWithBodyHash() throws Exception {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Graded problem", "auto", "auto");
            String target = launchWithOutcomes(consumer, res, "o-" + UUID.randomUUID());
            String base = "/api/v1/consumers/" + consumer.id + "/outcomes/" + target + "/result";

            AdminApi.admin().body(Map.of("score", 0.85)).put(base).then().statusCode(200)
                    .body("operation", equalTo("replaceResult")).body("codeMajor", equalTo("success"));

            ReceivedOutcome replace = consumer.received().get(0);
            assertTrue(replace.signatureValid(), "consumer verified the tool's OAuth signature: " + replace.oauth());
            assertTrue(replace.bodyHashValid(), "oauth_body_hash is SHA-1 of the body");
            Document doc = xml(replace.body());
            assertEquals("imsx_POXEnvelopeRequest", doc.getDocumentElement().getLocalName());
            assertEquals(SOURCED_ID, textOf(doc, "sourcedId"));
            assertEquals("0.85", textOf(doc, "textString"));
            assertEquals("en", textOf(doc, "language"));
            assertEquals(1, doc.getElementsByTagNameNS(ConsumerSimulator.NS, "replaceResultRequest").getLength());

            consumer.answer(Answer.success("0.85"));
            AdminApi.admin().get(base).then().statusCode(200).body("score", equalTo(0.85f));
            assertEquals(1, xml(consumer.received().get(1).body())
                    .getElementsByTagNameNS(ConsumerSimulator.NS, "readResultRequest").getLength());

            AdminApi.admin().delete(base).then().statusCode(200).body("operation", equalTo("deleteResult"));
            assertEquals(1, xml(consumer.received().get(2).body())
                    .getElementsByTagNameNS(ConsumerSimulator.NS, "deleteResultRequest").getLength());
            assertTrue(consumer.received().stream().allMatch(r -> r.signatureValid() && r.bodyHashValid()));
            // every request has its own nonce (Canvas refuses a reused one)
            assertEquals(3, consumer.received().stream().map(r -> r.oauth().get("oauth_nonce")).distinct().count());
        }
    }

    @Test
    void aFailureCodeMajorIsAFailedDeliveryWithTheConsumersDescription() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Graded problem 2", "auto", "auto");
            String target = launchWithOutcomes(consumer, res, "f-" + UUID.randomUUID());
            consumer.answer(Answer.failure("Assignment is closed"));

            AdminApi.admin().body(Map.of("score", 0.5)).put("/api/v1/consumers/" + consumer.id + "/outcomes/" + target
                    + "/result").then().statusCode(502).body("error", equalTo("outcome_refused"))
                    .body("message", containsString("failure: Assignment is closed"));

            AdminApi.admin().body(Map.of("score", 1.5)).put("/api/v1/consumers/" + consumer.id + "/outcomes/" + target
                    + "/result").then().statusCode(422).body("error", equalTo("invalid_score"));
            assertEquals(1, consumer.received().size(), "an invalid score is never sent");
        }
    }

    @Test
    void aServerErrorIsRetryableAndTheRetrySucceeds() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Graded problem 3", "auto", "auto");
            String user = "s-" + UUID.randomUUID();
            launchWithOutcomes(consumer, res, user);
            UUID accountId = UUID.fromString(DbCounts.text(db, "select account_id::text from platform_user "
                    + "where issuer = ? and subject = ?", Lti11Identity.issuer(consumer.id), user));
            UUID linkRowId = UUID.fromString(DbCounts.text(db, "select id::text from resource_link where consumer_id = ? "
                    + "and resource_link_id = 'rl-o'", consumer.id));
            // what the grades outbox does: find the target of a score by account and resource link, then send
            OutcomeTarget target = targets.forAccount(accountId, linkRowId).orElseThrow();
            consumer.answer(Answer.serverError());

            OutcomeDeliveryFailure failure = assertThrows(OutcomeDeliveryFailure.class,
                    () -> client.replace(target, new BigDecimal("0.7")));
            assertTrue(failure.retryable(), failure.getMessage());
            assertTrue(failure.getMessage().contains("HTTP 500"), failure.getMessage());

            assertEquals("success", client.replace(target, new BigDecimal("0.7")).codeMajor());
            assertEquals(2, consumer.received().size());
            assertThrows(IllegalArgumentException.class, () -> client.replace(target, new BigDecimal("-0.1")));
        }
    }

    @Test
    void aLaunchWithoutOutcomeParametersKeepsNoTarget() {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Ungraded", "auto", "auto");
            String url = consumer.launchUrl(res.id());
            assertEquals(303, consumer.post(url, consumer.sign(url,
                    ConsumerSimulator.basicLaunch("n-" + UUID.randomUUID(), "rl-n"))).statusCode());
            AdminApi.admin().get("/api/v1/consumers/" + consumer.id + "/outcomes").then().statusCode(200)
                    .body("$", hasSize(0));
            AdminApi.admin().get("/api/v1/consumers/" + consumer.id + "/outcomes/" + UUID.randomUUID() + "/result")
                    .then().statusCode(404).body("error", equalTo("unknown_outcome_target"));
        }
    }
}
