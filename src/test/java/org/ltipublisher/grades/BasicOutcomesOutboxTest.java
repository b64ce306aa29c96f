package org.ltipublisher.grades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;
import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.ConsumerSimulator.Answer;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.WithPostgres;
import org.w3c.dom.Document;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * LTI 1.1 scores travel through the same outbox as AGS scores (issue "LTI 1.1"): accepted at once,
 * delivered as a signed replaceResult scaled to 0.0–1.0, retried on a consumer outage, failed with the
 * consumer's own description when it refuses.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class BasicOutcomesOutboxTest extends WithPostgres {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    DataSource db;

    /** A learner's 1.1 launch with outcome parameters; returns the content's launch token. */
    private static String launch(ConsumerSimulator consumer, Published resource, String user) {
        String url = consumer.launchUrl(resource.id());
        List<String[]> fields = ConsumerSimulator.with(ConsumerSimulator.with(
                ConsumerSimulator.basicLaunch(user, "rl-" + UUID.randomUUID()),
                "lis_outcome_service_url", consumer.outcomesUrl()), "lis_result_sourcedid", "sourced-" + user);
        var response = consumer.post(url, consumer.sign(url, fields));
        assertEquals(303, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        return URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
    }

    /** The content reports a score with its credential and the learner's launch token. */
    private static String postScore(Published resource, String token, double given) {
        return ContentApi.as(ContentApi.credential(resource.id()), token)
                .body(Map.of("scoreGiven", given, "scoreMaximum", 10, "activityProgress", "Completed",
                        "gradingProgress", "FullyGraded"))
                .post("/api/v1/scores").then().statusCode(202).extract().path("id");
    }

    private String status(String scoreId) {
        return DbCounts.text(db, "select status from score where id = ?::uuid", scoreId);
    }

    private static String scoreSent(String body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        return doc.getElementsByTagNameNS(ConsumerSimulator.NS, "textString").item(0).getTextContent();
    }

    @Test
    void aScoreOfAnLti11LaunchIsDeliveredAsASignedReplaceResult() throws Exception {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published problem = AdminApi.publish(Map.of("title", "1.1 problem", "kind", "problem", "maxGrade", 10,
                    "studentProvisioning", "auto", "teacherProvisioning", "auto"));
            String token = launch(consumer, problem, "u-" + UUID.randomUUID());

            String scoreId = postScore(problem, token, 8);

            Eventually.await(WAIT, () -> "SENT".equals(status(scoreId)), () -> "score is " + status(scoreId));
            assertEquals(1, consumer.received().size());
            var received = consumer.received().get(0);
            assertTrue(received.signatureValid() && received.bodyHashValid(), "signed with oauth_body_hash");
            assertEquals(0.8, Double.parseDouble(scoreSent(received.body())), 1e-9);
        }
    }

    @Test
    void aConsumerOutageCostsARetryAndARefusalFailsWithItsReason() throws Exception {
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published problem = AdminApi.publish(Map.of("title", "1.1 retried", "kind", "problem", "maxGrade", 10,
                    "studentProvisioning", "auto", "teacherProvisioning", "auto"));
            String token = launch(consumer, problem, "u-" + UUID.randomUUID());

            consumer.answer(Answer.serverError(), Answer.success());
            String retried = postScore(problem, token, 5);
            Eventually.await(WAIT, () -> "SENT".equals(status(retried)), () -> "score is " + status(retried));
            assertEquals(2, consumer.received().size(), "one failed attempt, one delivery");
            assertTrue(DbCounts.scalar(db, "select attempts from score where id = ?::uuid", retried) >= 1);

            consumer.answer(Answer.failure("score out of range for this assignment"));
            String refused = postScore(problem, token, 6);
            Eventually.await(WAIT, () -> "FAILED".equals(status(refused)), () -> "score is " + status(refused));
            String reason = DbCounts.text(db, "select last_error from score where id = ?::uuid", refused);
            assertTrue(reason.contains("score out of range for this assignment"), reason);
        }
    }
}
