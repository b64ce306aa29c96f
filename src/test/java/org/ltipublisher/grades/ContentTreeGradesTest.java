package org.ltipublisher.grades;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.Eventually;
import org.ltipublisher.testing.FastBackgroundWork;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformServices.ReceivedScore;
import org.ltipublisher.testing.WithPlatformServices;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Content trees (issue 13) against a simulated platform over real HTTP and a real PostgreSQL: a course →
 * unit → problem tree published through the admin API, launched at each level with its own line item,
 * leaf scores aggregated into the unit's and course's grades after the quiet delay (3 s in this profile).
 */
@QuarkusTest
@TestProfile(FastBackgroundWork.class)
class ContentTreeGradesTest extends WithPlatformServices {

    static final String AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DataSource db;

    record Launched(String token, ContentApi.Credential credential) {
    }

    private static UUID publish(Map<String, Object> fields) {
        return UUID.fromString(AdminApi.admin().body(fields).post("/api/v1/resources").then().statusCode(201)
                .extract().path("id"));
    }

    private static UUID child(UUID parent, Map<String, Object> fields) {
        return UUID.fromString(AdminApi.admin().body(fields).post("/api/v1/resources/" + parent + "/children").then()
                .statusCode(201).body("tree.parentId", equalTo(parent.toString())).extract().path("id"));
    }

    private static Map<String, Object> node(String title, String kind, Object maxGrade, Object... more) {
        Map<String, Object> fields = new HashMap<>(Map.of("title", title, "kind", kind, "maxGrade", maxGrade,
                "studentProvisioning", "auto", "teacherProvisioning", "auto"));
        for (int i = 0; i < more.length; i += 2) {
            fields.put((String) more[i], more[i + 1]);
        }
        return fields;
    }

    /** A learner launches the node through its own platform link, whose line item is {@code /ags/<ctx>/lineitems/<item>}. */
    private static Launched launch(Registered reg, UUID resource, String sub, String ctx, String item) {
        String launchUrl = "http://localhost:" + RestAssured.port + "/lti/resources/" + resource;
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), reg.deploymentId(), launchUrl, sub)
                .lti("resource_link", Map.of("id", "rl-" + item, "title", item))
                .claim(AGS, Map.of("scope", List.of(PlatformServices.AGS_SCOPE_PREFIX + "lineitem",
                        PlatformServices.AGS_SCOPE_PREFIX + "score"),
                        "lineitems", reg.issuer() + "/ags/" + ctx + "/lineitems",
                        "lineitem", reg.issuer() + "/ags/" + ctx + "/lineitems/" + item));
        Response launch = new LtiBrowser().launch(platform, reg, launchUrl, spec);
        assertEquals(303, launch.statusCode(), launch.asString());
        String location = launch.header("Location");
        String token = URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13), StandardCharsets.UTF_8);
        return new Launched(token, ContentApi.credential(resource));
    }

    private static Response leafScore(Launched l, UUID leaf, Object given) {
        return ContentApi.as(l.credential(), l.token()).body(Map.of("resourceId", leaf.toString(), "scoreGiven", given))
                .post("/api/v1/scores");
    }

    private static List<ReceivedScore> received(String sub, String ctx, String item) {
        String path = "/ags/" + ctx + "/lineitems/" + item + "/scores";
        return services.scoresFor(sub).stream().filter(s -> s.path().equals(path)).toList();
    }

    private long aggregateRows(UUID resource) {
        return DbCounts.scalar(db, "select count(*) from score where origin = 'AGGREGATE' and resource_id = ?", resource);
    }

    @Test
    void thirtyProblemsInAUnitAreSentAsOneWeightedGradePerLinkAfterTheQuietDelay() {
        String ctx = "tree-" + UUID.randomUUID();
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        UUID course = publish(node("Algebra", "course", 100));
        UUID unit = child(course, node("Fractions", "unit", 10));
        UUID other = child(course, node("Decimals", "unit", 10));
        UUID otherProblem = child(other, node("Decimals 1", "problem", 1));
        List<UUID> problems = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            problems.add(child(unit, node("Problem " + i, "problem", 4, "weight", i < 20 ? 1 : 3)));
        }
        AdminApi.admin().get("/api/v1/resources/" + unit).then().statusCode(200)
                .body("tree.children.size()", equalTo(30)).body("tree.children[29]", equalTo(problems.get(29).toString()));

        String sub = "learner-" + UUID.randomUUID();
        launch(reg, course, sub, ctx, "course");
        Launched inUnit = launch(reg, unit, sub, ctx, "unit");
        launch(reg, problems.get(0), sub, ctx, "p0");

        for (int i = 0; i < 30; i++) {
            leafScore(inUnit, problems.get(i), i % 5).then().statusCode(202);
        }
        // one debounced row per learner and link, however many problems changed
        assertEquals(1, aggregateRows(unit));
        assertEquals(1, aggregateRows(course));

        // Open edX's rule: maxGrade × Σ(w × earned/max) / Σw; here problem i earns i % 5 of 4, weight 1 or 3
        BigDecimal earned = BigDecimal.ZERO;
        BigDecimal weights = BigDecimal.ZERO;
        for (int i = 0; i < 30; i++) {
            BigDecimal w = BigDecimal.valueOf(i < 20 ? 1 : 3);
            earned = earned.add(w.multiply(BigDecimal.valueOf(i % 5)).divide(BigDecimal.valueOf(4), MathContext.DECIMAL64));
            weights = weights.add(w);
        }
        BigDecimal unitGrade = earned.multiply(BigDecimal.TEN).divide(weights, MathContext.DECIMAL64)
                .setScale(4, RoundingMode.HALF_UP);
        // the course also has Decimals 1 (weight 1), not attempted: it earns 0 and the course grade is partial
        BigDecimal courseGrade = earned.multiply(BigDecimal.valueOf(100)).divide(weights.add(BigDecimal.ONE),
                MathContext.DECIMAL64).setScale(4, RoundingMode.HALF_UP);

        Eventually.await(WAIT, () -> received(sub, ctx, "unit").size() == 1 && received(sub, ctx, "course").size() == 1,
                () -> "unit and course grades not both received: " + services.scoresFor(sub));
        ReceivedScore unitScore = received(sub, ctx, "unit").get(0);
        assertEquals(0, unitGrade.compareTo(unitScore.body().path("scoreGiven").decimalValue()), unitScore.body().toString());
        assertEquals(10, unitScore.body().path("scoreMaximum").asInt());
        assertEquals("Completed", unitScore.body().path("activityProgress").asText());
        assertEquals("FullyGraded", unitScore.body().path("gradingProgress").asText());
        ReceivedScore courseScore = received(sub, ctx, "course").get(0);
        assertEquals(0, courseGrade.compareTo(courseScore.body().path("scoreGiven").decimalValue()), courseScore.body().toString());
        assertEquals("InProgress", courseScore.body().path("activityProgress").asText());
        assertEquals("Pending", courseScore.body().path("gradingProgress").asText());

        // the problem on its own link got its score at once, as well as counting in the unit's
        Eventually.await(WAIT, () -> received(sub, ctx, "p0").size() == 1, () -> "p0: " + services.scoresFor(sub));
        assertEquals(0, received(sub, ctx, "p0").get(0).body().path("scoreGiven").asInt());

        // every aggregate explains itself: the 30 leaf scores it came from
        String unitScoreId = DbCounts.text(db, "select id from score where origin = 'AGGREGATE' and resource_id = ?", unit);
        Response view = AdminApi.admin().get("/api/v1/scores/" + unitScoreId).then().statusCode(200).extract().response();
        assertEquals(30, view.jsonPath().getList("contributions").size());
        assertEquals("sent", view.path("status"));
        assertEquals("aggregate", view.path("origin"));
        String courseScoreId = DbCounts.text(db, "select id from score where origin = 'AGGREGATE' and resource_id = ?", course);
        AdminApi.admin().get("/api/v1/scores/" + courseScoreId).then().statusCode(200)
                .body("contributions.size()", equalTo(31))
                .body("contributions.find { it.leafId == '" + otherProblem + "' }.leafScoreId", equalTo(null));

        // quiet after the send: nothing else went out for these links
        assertEquals(1, received(sub, ctx, "unit").size());
        assertEquals(1, received(sub, ctx, "course").size());
    }

    @Test
    void aProblemOnItsOwnLinkAndInsideAUnitUpdatesBothLineItems() {
        String ctx = "both-" + UUID.randomUUID();
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        UUID unit = publish(node("Unit", "unit", 20));
        UUID problem = child(unit, node("Problem", "problem", 5));
        child(unit, node("Problem 2", "problem", 5));
        String sub = "learner-" + UUID.randomUUID();
        Launched alone = launch(reg, problem, sub, ctx, "alone");
        launch(reg, unit, sub, ctx, "unit");

        // reported through the problem's own launch: its link at once, the unit's after the delay
        leafScore(alone, problem, 4).then().statusCode(202).body("status", equalTo("pending"));
        Eventually.await(WAIT, () -> received(sub, ctx, "alone").size() == 1 && received(sub, ctx, "unit").size() == 1,
                () -> "both line items: " + services.scoresFor(sub));
        assertEquals(4, received(sub, ctx, "alone").get(0).body().path("scoreGiven").asInt());
        // (4/5 × 1 + 0 × 1) / 2 × 20 = 8, partial: Problem 2 not done
        assertEquals(8, received(sub, ctx, "unit").get(0).body().path("scoreGiven").asInt());
        assertEquals("Pending", received(sub, ctx, "unit").get(0).body().path("gradingProgress").asText());
    }

    @Test
    void launchingAUnitShowsItsChildrenAndTheSampleActivityRecordsAScorePerProblem() {
        String ctx = "sample-" + UUID.randomUUID();
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        UUID unit = publish(node("Sample unit", "unit", 10));
        UUID section = child(unit, node("Part A", "section", 10));
        UUID first = child(section, node("First problem", "problem", 2));
        UUID second = child(unit, node("Second problem", "problem", 2));
        String sub = "learner-" + UUID.randomUUID();
        Launched l = launch(reg, unit, sub, ctx, "sample-unit");

        Response shown = new LtiBrowser().get("/activity/" + unit + "?launch_token=" + l.token());
        assertEquals(200, shown.statusCode(), shown.asString());
        String page = shown.asString();
        // the tree in order, indented by depth
        int a = page.indexOf("data-id=\"" + section + "\" data-depth=\"1\"");
        int b = page.indexOf("data-id=\"" + first + "\" data-depth=\"2\"");
        int c = page.indexOf("data-id=\"" + second + "\" data-depth=\"1\"");
        assertTrue(a > 0 && b > a && c > b, page);

        new LtiBrowser().formRequest().accept(io.restassured.http.ContentType.HTML)
                .formParam("launch_token", l.token()).formParam("leafId", first.toString()).formParam("scoreGiven", "1")
                .post("/activity/" + unit + "/score").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("your score 1"));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from leaf_score where resource_id = ?", first));
        // (1/2) / 2 × 10 = 2.5, partial
        Eventually.await(WAIT, () -> received(sub, ctx, "sample-unit").size() == 1, () -> "unit: " + services.scoresFor(sub));
        assertEquals("2.5", received(sub, ctx, "sample-unit").get(0).body().path("scoreGiven").decimalValue()
                .stripTrailingZeros().toPlainString());
    }

    @Test
    void onlyWhenCompleteSendsNothingUntilTheLastProblemHasAScore() {
        String ctx = "complete-" + UUID.randomUUID();
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        UUID unit = publish(node("Unit", "unit", 10, "incompleteGrades", "only-when-complete"));
        List<UUID> problems = List.of(child(unit, node("A", "problem", 2)), child(unit, node("B", "problem", 2)),
                child(unit, node("C", "problem", 2)));
        String sub = "learner-" + UUID.randomUUID();
        Launched l = launch(reg, unit, sub, ctx, "unit");

        leafScore(l, problems.get(0), 2).then().statusCode(202).body("status", equalTo("waiting_for_completion"));
        leafScore(l, problems.get(1), 1).then().statusCode(202);
        assertEquals(0, aggregateRows(unit), "nothing queued while a problem has no score");
        assertEquals(2, DbCounts.scalar(db, "select count(*) from leaf_score where resource_id in (?, ?, ?)",
                problems.get(0), problems.get(1), problems.get(2)));

        leafScore(l, problems.get(2), 2).then().statusCode(202).body("status", equalTo("pending"));
        Eventually.await(WAIT, () -> received(sub, ctx, "unit").size() == 1, () -> "unit: " + services.scoresFor(sub));
        ReceivedScore score = received(sub, ctx, "unit").get(0);
        // (1 + 0.5 + 1) / 3 × 10 = 8.3333
        assertEquals("8.3333", score.body().path("scoreGiven").decimalValue().toPlainString());
        assertEquals("Completed", score.body().path("activityProgress").asText());
        assertEquals("FullyGraded", score.body().path("gradingProgress").asText());
    }

    @Test
    void badTreeEditsAndLeafScoresAreRefusedAndChangeNothing() {
        String ctx = "bad-" + UUID.randomUUID();
        Registered reg = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        UUID course = publish(node("Course", "course", 100));
        UUID unit = child(course, node("Unit", "unit", 10));
        UUID problem = child(unit, node("Problem", "problem", 1));
        UUID elsewhere = publish(node("Elsewhere", "problem", 1));
        long resources = DbCounts.scalar(db, "select count(*) from published_resource");

        // a node cannot move under itself or its own descendant
        AdminApi.admin().body(node("Course", "course", 100, "parentId", problem.toString())).put("/api/v1/resources/" + course)
                .then().statusCode(422).body("error", equalTo("cycle"));
        AdminApi.admin().body(node("Unit", "unit", 10, "parentId", unit.toString())).put("/api/v1/resources/" + unit)
                .then().statusCode(422).body("error", equalTo("cycle"));
        AdminApi.admin().get("/api/v1/resources/" + course).then().body("tree.parentId", equalTo(null));
        AdminApi.admin().get("/api/v1/resources/" + unit).then().body("tree.parentId", equalTo(course.toString()));
        // unknown parents
        UUID unknown = UUID.randomUUID();
        AdminApi.admin().body(node("Orphan", "problem", 1)).post("/api/v1/resources/" + unknown + "/children")
                .then().statusCode(404).body("error", equalTo("unknown_resource"));
        AdminApi.admin().body(node("Orphan", "problem", 1, "parentId", unknown.toString())).post("/api/v1/resources")
                .then().statusCode(422).body("error", equalTo("unknown_parent"));
        AdminApi.admin().body(node("Orphan", "problem", 1, "parentId", "not-a-uuid")).post("/api/v1/resources")
                .then().statusCode(422).body("error", equalTo("invalid_parent"));
        // negative maximum or weight
        AdminApi.admin().body(node("Bad", "problem", -1)).post("/api/v1/resources/" + unit + "/children")
                .then().statusCode(422).body("error", equalTo("invalid_max_grade"));
        AdminApi.admin().body(node("Bad", "problem", 1, "weight", -2)).post("/api/v1/resources/" + unit + "/children")
                .then().statusCode(422).body("error", equalTo("invalid_weight"));
        AdminApi.admin().body(node("Bad", "problem", 1, "position", -1)).post("/api/v1/resources/" + unit + "/children")
                .then().statusCode(422).body("error", equalTo("invalid_position"));
        assertEquals(resources, DbCounts.scalar(db, "select count(*) from published_resource"));

        // leaf scores: outside the launched subtree, not a leaf, not an id
        String sub = "learner-" + UUID.randomUUID();
        Launched inUnit = launch(reg, unit, sub, ctx, "unit");
        DbCounts before = DbCounts.of(db);
        long leafScores = DbCounts.scalar(db, "select count(*) from leaf_score");
        leafScore(inUnit, elsewhere, 1).then().statusCode(403).body("error", equalTo("leaf_outside_launch"));
        leafScore(inUnit, course, 1).then().statusCode(403).body("error", equalTo("leaf_outside_launch"));
        leafScore(inUnit, unit, 1).then().statusCode(422).body("error", equalTo("not_a_leaf"));
        leafScore(inUnit, UUID.randomUUID(), 1).then().statusCode(422).body("error", equalTo("unknown_leaf"));
        ContentApi.as(inUnit.credential(), inUnit.token()).body(Map.of("resourceId", "nope", "scoreGiven", 1))
                .post("/api/v1/scores").then().statusCode(422).body("error", equalTo("invalid_resource_id"));
        leafScore(inUnit, problem, 2).then().statusCode(422).body("error", equalTo("score_above_maximum"));
        leafScore(inUnit, problem, -1).then().statusCode(422).body("error", equalTo("negative_score"));
        assertEquals(before, DbCounts.of(db));
        assertEquals(leafScores, DbCounts.scalar(db, "select count(*) from leaf_score"));
    }

    @Test
    void childrenAreReorderedMovedAndRemovedWithoutGapsEvenConcurrently() throws Exception {
        UUID unit = publish(node("Unit", "unit", 10));
        UUID other = publish(node("Other unit", "unit", 10));
        List<UUID> kids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            kids.add(child(unit, node("P" + i, "problem", 1)));
        }
        // move the last to the front
        AdminApi.admin().body(node("P5", "problem", 1, "position", 0)).put("/api/v1/resources/" + kids.get(5))
                .then().statusCode(200).body("tree.position", equalTo(0));
        List<String> order = AdminApi.admin().get("/api/v1/resources/" + unit).then().extract().path("tree.children");
        assertEquals(List.of(kids.get(5), kids.get(0), kids.get(1), kids.get(2), kids.get(3), kids.get(4)).stream()
                .map(UUID::toString).toList(), order);
        // identity is kept across a move to another parent
        AdminApi.admin().body(node("P0", "problem", 1, "parentId", other.toString())).put("/api/v1/resources/" + kids.get(0))
                .then().statusCode(200).body("id", equalTo(kids.get(0).toString()))
                .body("tree.parentId", equalTo(other.toString()));
        // concurrent reorders under one parent: positions stay 0..n-1, each once
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> moves = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                UUID moved = kids.get(1 + i % 5);
                int position = i % 5;
                moves.add(pool.submit(() -> AdminApi.admin().body(node("P", "problem", 1, "position", position))
                        .put("/api/v1/resources/" + moved).statusCode()));
            }
            for (Future<Integer> move : moves) {
                assertEquals(200, move.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(5, DbCounts.scalar(db, "select count(distinct position) from published_resource where parent_id = ?"
                + " and position between 0 and 4", unit));
        // removing a child closes the gap
        AdminApi.admin().delete("/api/v1/resources/" + kids.get(5)).then().statusCode(204);
        AdminApi.admin().get("/api/v1/resources/" + kids.get(5)).then().statusCode(404);
        assertEquals(4, DbCounts.scalar(db, "select count(distinct position) from published_resource where parent_id = ?"
                + " and position between 0 and 3", unit));
        AdminApi.admin().get("/api/v1/resources/" + unit).then().body("tree.children.size()", equalTo(4));
        assertTrue(DbCounts.scalar(db, "select count(*) from published_resource where parent_id = ?", other) == 1);
    }
}
