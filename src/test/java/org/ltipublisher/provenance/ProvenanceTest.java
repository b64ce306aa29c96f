package org.ltipublisher.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Issue 12: a learner who comes in through an LTI 1.3 registration and through an LTI 1.1 consumer has two
 * enrolments, and the enrolments and scores listings name the platform or consumer of each row.
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class ProvenanceTest extends WithPostgres {

    @Inject
    DataSource db;

    static String token(String location) {
        return URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
    }

    @Test
    void enrolmentsAndScoresNameTheirPlatformOrConsumer() {
        try (PlatformSimulator platform = new PlatformSimulator();
                ConsumerSimulator consumer = ConsumerSimulator.create("auto-link-email", false)) {
            Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
            Published res = AdminApi.publish("Both " + UUID.randomUUID(), "auto", "auto");
            String userId = "grace-" + UUID.randomUUID();

            // the 1.3 launch, then the 1.1 launch of the same person (linked by e-mail), in a course of the same id
            LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), res.launchUrl(),
                    userId).claim("email", userId + "@school.example");
            Response launch13 = new LtiBrowser().launch(platform, reg, res.launchUrl(), spec);
            assertEquals(303, launch13.statusCode(), launch13.asString());
            String url = consumer.launchUrl(res.id());
            HttpResponse<String> launch11 = consumer.post(url, consumer.sign(url, ConsumerSimulator.with(
                    ConsumerSimulator.basicLaunch(userId, "rl-1"), "context_id", "course-1")));
            assertEquals(303, launch11.statusCode(), launch11.body());
            String account = DbCounts.text(db, "select account_id::text from platform_user where issuer = ? and subject = ?",
                    reg.issuer(), userId);
            assertEquals(1, DbCounts.scalar(db, "select count(distinct account_id) from platform_user where "
                    + "account_id = ?::uuid", account));
            assertEquals(2, DbCounts.scalar(db, "select count(*) from platform_user where account_id = ?::uuid", account));

            JsonPath enrolments = AdminApi.admin().get("/api/v1/resources/" + res.id() + "/enrolments").then()
                    .statusCode(200).extract().jsonPath();
            List<Map<String, Object>> rows = enrolments.getList("findAll { it.accountId == '" + account + "' }");
            assertEquals(2, rows.size(), rows.toString());
            // the fields that were identical before still are; the platform tells them apart
            assertEquals(Set.of("course-1"), rows.stream().map(r -> r.get("context")).collect(Collectors.toSet()));
            Map<String, Object> lti13 = platformOf(rows, "lti13");
            assertEquals(reg.issuer(), lti13.get("issuer"));
            assertEquals(reg.clientId(), lti13.get("clientId"));
            assertEquals("dep-1", lti13.get("deploymentId"));
            assertEquals("Test platform " + reg.clientId(), lti13.get("registrationName"));
            assertNull(lti13.get("consumerKey"));
            Map<String, Object> lti11 = platformOf(rows, "lti11");
            assertEquals(consumer.key(), lti11.get("consumerKey"));
            assertNotNull(lti11.get("consumerName"));
            assertNull(lti11.get("issuer"));
            // the existing fields are unchanged
            rows.forEach(r -> assertEquals("launch", r.get("source")));

            // scores through each launch name where they go
            ContentApi.Credential content = ContentApi.credential(res.id());
            String score13 = ContentApi.as(content, token(launch13.header("Location"))).body(Map.of("scoreGiven", 5))
                    .post("/api/v1/scores").then().statusCode(202).extract().path("id");
            String score11 = ContentApi.as(content, token(launch11.headers().firstValue("Location").orElseThrow()))
                    .body(Map.of("scoreGiven", 6)).post("/api/v1/scores").then().statusCode(202).extract().path("id");
            JsonPath scores = AdminApi.admin().queryParam("limit", 1000).get("/api/v1/scores").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals("lti13", scores.getString("find { it.id == '" + score13 + "' }.platform.kind"));
            assertEquals(reg.clientId(), scores.getString("find { it.id == '" + score13 + "' }.platform.clientId"));
            assertEquals("lti11", scores.getString("find { it.id == '" + score11 + "' }.platform.kind"));
            assertEquals(consumer.key(), scores.getString("find { it.id == '" + score11 + "' }.platform.consumerKey"));
            AdminApi.admin().get("/api/v1/scores/" + score11).then().statusCode(200)
                    .body("platform.kind", org.hamcrest.Matchers.equalTo("lti11"))
                    .body("platform.consumerKey", org.hamcrest.Matchers.equalTo(consumer.key()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> platformOf(List<Map<String, Object>> rows, String kind) {
        return rows.stream().map(r -> (Map<String, Object>) r.get("platform")).filter(p -> kind.equals(p.get("kind")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " row in " + rows));
    }
}
