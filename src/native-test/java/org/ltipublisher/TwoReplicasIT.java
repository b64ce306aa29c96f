package org.ltipublisher;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.ContentApi;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.LtiBrowser.PlatformForm;
import org.ltipublisher.testing.PgBouncer;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformSimulator;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two processes of the packaged service on one PostgreSQL, as two pods behind an ingress without
 * sticky sessions: a login on one replica is finished on the other, a key rotated on one is served by
 * both, and the score outbox is drained by both with every score sent exactly once. Both reach PostgreSQL
 * through one PgBouncer in transaction mode, as through CloudNativePG's Pooler (README "Behind PgBouncer"):
 * migrations at start included.
 */
class TwoReplicasIT {

    static EmbeddedPostgres postgres;
    static PgBouncer pgBouncer;
    static final List<Process> replicas = new ArrayList<>();
    static String replicaA;
    static String replicaB;
    static PlatformSimulator platform;
    static final List<String> startupLogs = new ArrayList<>();

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        pgBouncer = PgBouncer.start("localhost", postgres.getPort(), "postgres", "postgres");
        platform = new PlatformSimulator();
        int portA = freePort();
        int portB = freePort();
        replicaA = "http://localhost:" + portA;
        replicaB = "http://localhost:" + portB;
        // both pods publish the ingress's URL; here replica A's address plays that role
        replicas.add(start(portA, replicaA, "a"));
        replicas.add(start(portB, replicaA, "b"));
        awaitReady(replicaA);
        awaitReady(replicaB);
        // what both replicas logged from their start on an empty database until ready (and a moment after,
        // when the scheduled jobs first run)
        Thread.sleep(3000);
        startupLogs.add(Files.readString(Path.of("target", "replica-a.log")));
        startupLogs.add(Files.readString(Path.of("target", "replica-b.log")));
        RestAssured.baseURI = "http://localhost";
        RestAssured.port = portA;
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (Process replica : replicas) {
            replica.destroy();
            replica.waitFor();
        }
        platform.close();
        pgBouncer.close();
        postgres.close();
        RestAssured.reset();
    }

    /**
     * Two replicas starting together on an empty database: Flyway migrates (once, under its lock) before Hibernate,
     * the scheduled jobs or any request touch the schema, so neither logs an error.
     */
    @Test
    void bothReplicasStartOnAnEmptyDatabaseWithoutErrors() {
        assertEquals(2, startupLogs.size());
        for (String log : startupLogs) {
            List<String> errors = log.lines().filter(line -> line.contains(" ERROR ")).toList();
            assertTrue(errors.isEmpty(), "errors while starting on an empty database:\n" + String.join("\n", errors));
            assertTrue(log.contains("started in"), log);
        }
        for (String replica : List.of(replicaA, replicaB)) {
            assertEquals("UP", given().baseUri(replica).port(-1).get("/q/health/ready").then().statusCode(200)
                    .extract().path("status"));
        }
    }

    @Test
    void loginOnOneReplicaLaunchOnTheOther() {
        Registered registration = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published resource = AdminApi.publish("Two pods", "auto", "prompt");
        LtiBrowser browser = new LtiBrowser(replicaA);
        PlatformForm form = browser.loginAndAuthenticate(platform, registration, resource.launchUrl(),
                LaunchSpec.resourceLink(registration.issuer(), registration.clientId(), "dep-1", resource.launchUrl(),
                        "pods-" + UUID.randomUUID()));

        LtiBrowser sameBrowserOnB = new LtiBrowser(replicaB);
        sameBrowserOnB.cookies().putAll(browser.cookies());
        Response launch = sameBrowserOnB.post(replicaB + "/lti/launch", form.fields());

        assertEquals(303, launch.statusCode(), launch.asString());
        assertTrue(launch.header("Location").contains("/activity/" + resource.id()));
        // and the launch token minted by B is honoured by A
        String location = launch.header("Location");
        String token = java.net.URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13),
                java.nio.charset.StandardCharsets.UTF_8);
        given().baseUri(replicaA).port(-1).auth().oauth2(token).get("/api/v1/launch-context").then().statusCode(200);
    }

    @Test
    void keyRotatedOnOneReplicaIsServedByBoth() {
        String before = jwks(replicaB);
        given().baseUri(replicaA).port(-1).auth().oauth2(AdminApi.token()).post("/api/v1/keys/rotate").then()
                .statusCode(200);
        String afterA = jwks(replicaA);
        String afterB = jwks(replicaB);
        assertNotEquals(before, afterA, "rotation publishes a new next key");
        assertEquals(afterA, afterB, "both replicas serve the same JWKS at once");
    }

    @Test
    void scoresPostedToBothReplicasAreDeliveredByBothExactlyOnce() throws Exception {
        PlatformServices services = new PlatformServices(platform, replicaA + "/.well-known/jwks.json");
        Registered registration = AdminApi.register(platform, "client-" + UUID.randomUUID(), "dep-1");
        Published problem = AdminApi.publish(Map.of("title", "Scored on two pods", "kind", "problem", "maxGrade", 10,
                "studentProvisioning", "auto", "teacherProvisioning", "auto"));
        // scores of one learner on one link go out one at a time, in order: many learners make the load
        List<String> tokens = new ArrayList<>();
        for (int learner = 0; learner < 30; learner++) {
            Response launch = new LtiBrowser(replicaA).launch(platform, registration, problem.launchUrl(),
                    LaunchSpec.resourceLink(registration.issuer(), registration.clientId(), "dep-1", problem.launchUrl(),
                            "scorer-" + UUID.randomUUID()));
            assertEquals(303, launch.statusCode(), launch.asString());
            String location = launch.header("Location");
            tokens.add(java.net.URLDecoder.decode(location.substring(location.indexOf("launch_token=") + 13),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        String run = "run-" + UUID.randomUUID() + "-";
        int count = 300;
        // the content application reports with its credential and the learner's launch token
        ContentApi.Credential content = ContentApi.credential(problem.id());
        for (int i = 0; i < count; i++) {
            given().baseUri(i % 2 == 0 ? replicaA : replicaB).port(-1).auth().preemptive()
                    .basic(content.keyId(), content.secret())
                    .header(ContentApi.LAUNCH_TOKEN_HEADER, tokens.get(i % tokens.size()))
                    .contentType("application/json").body(Map.of("scoreGiven", i % 11, "scoreMaximum", 10,
                            "comment", run + i, "activityProgress", "Completed", "gradingProgress", "FullyGraded"))
                    .post("/api/v1/scores").then().statusCode(202);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (received(services, run).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<String> comments = received(services, run);
        assertEquals(count, comments.size(), "every score arrived, none twice: " + comments.size());
        assertEquals(count, comments.stream().distinct().count(), "no score arrived twice");
        double sentByA = scoresSent(replicaA);
        double sentByB = scoresSent(replicaB);
        assertEquals(count, sentByA + sentByB, 0.0, "the two replicas together sent each score once");
        assertTrue(sentByA > 0 && sentByB > 0, "both replicas took a share: A=" + sentByA + " B=" + sentByB);
        System.out.printf("two replicas delivered %d scores: A sent %.0f, B sent %.0f%n", count, sentByA, sentByB);
    }

    private static List<String> received(PlatformServices services, String run) {
        return services.scores().stream().map(s -> s.body().path("comment").asText())
                .filter(c -> c.startsWith(run)).toList();
    }

    /** lti_grades_scores_sent_total from the replica's Prometheus endpoint. */
    private static double scoresSent(String replica) {
        String metrics = given().baseUri(replica).port(-1).get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("lti_grades_scores_sent_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String jwks(String replica) {
        return given().baseUri(replica).port(-1).get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
    }

    private static Process start(int port, String publicUrl, String name) throws IOException, Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        Path adminKey = Path.of(TwoReplicasIT.class.getResource("/admin-test-public.pem").toURI());
        List<String> command = List.of(java,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + pgBouncer.jdbcUrl("postgres"),
                "-Dlti.db.prepare-threshold=0",
                "-Dquarkus.datasource.username=postgres",
                "-Dquarkus.datasource.password=postgres",
                "-Dlti.keys.encryption-key=dHdvLXJlcGxpY2FzLXRlc3QtZW5jcnlwdGlvbi1rZXk=",
                "-Dlti.public-url=" + publicUrl,
                "-Dlti.registration.allow-http=true",
                // the simulated platforms listen on loopback, which production refuses to call
                "-Dlti.outbound.allowed-networks=127.0.0.1/32,::1/128",
                "-Dmp.jwt.verify.publickey.location=" + adminKey.toUri(),
                "-Dmp.jwt.verify.issuer=" + AdminApi.ISSUER,
                "-Dquarkus.log.console.json.enabled=false",
                "-jar", jar.toString());
        File log = Path.of("target", "replica-" + name + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void awaitReady(String replica) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(replica + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError(replica + " did not become ready; see target/replica-*.log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
