package org.ltipublisher.bench;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformServices;
import org.ltipublisher.testing.PlatformServices.Roster;
import org.ltipublisher.testing.PlatformSimulator;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/**
 * Benchmark against a running LTI Publisher (e.g. {@code ./mvnw quarkus:dev}, which allows http platform
 * URLs and trusts the dev admin key): a simulated platform on loopback, a 10,000-member roster synced
 * over NRPS, then that many scores posted and delivered over AGS. Prints the member sync time and the
 * outbox's delivery rate. See bench/README.md.
 *
 * <p>Arguments: [base URL, default http://localhost:8080] [members, default 10000] [scores, default 10000]
 */
public final class GradesAndRosterBench {

    private static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

    private GradesAndRosterBench() {
    }

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:8080";
        int members = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int scores = args.length > 2 ? Integer.parseInt(args[2]) : members;
        URI baseUri = URI.create(base);
        RestAssured.baseURI = baseUri.getScheme() + "://" + baseUri.getHost();
        RestAssured.port = baseUri.getPort() < 0 ? 80 : baseUri.getPort();
        String token = Jwt.issuer(System.getenv().getOrDefault("LTI_ADMIN_TOKEN_ISSUER", "https://admin.lti-publisher.local"))
                .upn("bench").groups("admin").expiresIn(Duration.ofMinutes(55))
                .sign(KeyUtils.decodePrivateKey(Files.readString(Path.of("config", "dev-admin", "private.pem"))));

        try (PlatformSimulator platform = new PlatformSimulator()) {
            PlatformServices services = new PlatformServices(platform, base + "/.well-known/jwks.json");
            String clientId = "bench-" + UUID.randomUUID();
            String registration = admin(token).body(Map.of("name", "Benchmark " + clientId))
                    .post("/api/v1/registrations").then().statusCode(201).extract().path("id");
            admin(token).body(Map.of("issuer", platform.issuer(), "clientId", clientId,
                    "authenticationRequestUrl", platform.authUrl(), "accessTokenUrl", platform.tokenUrl(),
                    "jwksUrl", platform.jwksUrl())).put("/api/v1/registrations/" + registration + "/platform")
                    .then().statusCode(200);
            admin(token).body(Map.of("deploymentId", "dep-1")).post("/api/v1/registrations/" + registration
                    + "/deployments").then().statusCode(201);
            var published = admin(token).body(Map.of("title", "Benchmark problem", "kind", "problem", "maxGrade", 10,
                    "memberSync", true, "studentProvisioning", "auto", "teacherProvisioning", "auto"))
                    .post("/api/v1/resources").then().statusCode(201).extract();
            String resourceId = published.path("id");
            String launchUrl = published.path("launchUrl");

            // one learner launches, so the tool learns the course's NRPS and AGS endpoints
            String context = "bench-" + UUID.randomUUID();
            Registered reg = new Registered(UUID.fromString(registration), platform.issuer(), clientId, "dep-1");
            LaunchSpec spec = LaunchSpec.resourceLink(platform.issuer(), clientId, "dep-1", launchUrl, "member-0")
                    .lti("context", Map.of("id", context, "title", "Benchmark course"))
                    .claim(NRPS, Map.of("context_memberships_url", platform.issuer() + "/nrps/" + context + "/memberships",
                            "service_versions", List.of("2.0")));
            var launch = new LtiBrowser().launch(platform, reg, launchUrl, spec);
            if (launch.statusCode() != 303) {
                throw new IllegalStateException("launch answered " + launch.statusCode() + ": " + launch.asString());
            }

            Roster roster = services.roster(context);
            for (int i = 0; i < members; i++) {
                roster.add("member-" + i, "Member " + i, "member" + i + "@example.edu", "Active", LEARNER);
            }
            Instant syncStart = Instant.now();
            admin(token).post("/api/v1/resources/" + resourceId + "/sync/members").then().statusCode(202);
            Map<String, Object> run;
            do {
                Thread.sleep(500);
                List<Map<String, Object>> runs = admin(token).get("/api/v1/resources/" + resourceId + "/sync").then()
                        .statusCode(200).extract().path("");
                run = runs.stream().filter(r -> "members".equals(r.get("kind"))).findFirst().orElseThrow();
            } while (run.get("finishedAt") == null);
            double syncSeconds = Duration.between(syncStart, Instant.now()).toMillis() / 1000.0;
            System.out.printf("member sync: %d members, result %s, counts %s, %.1f s (including up to one tick of "
                    + "lti.sync.tick before it starts)%n", members, run.get("result"), run.get("counts"), syncSeconds);

            ExecutorService posters = Executors.newFixedThreadPool(8);
            int before = services.scores().size();
            Instant postStart = Instant.now();
            List<Future<Integer>> posted = IntStream.range(0, scores).mapToObj(i -> posters.submit(() ->
                    admin(token).body(Map.of("scoreGiven", i % 11, "issuer", platform.issuer(), "clientId", clientId,
                            "userId", "member-" + (i % members), "resourceLinkId", "rl-1"))
                            .post("/api/v1/scores").statusCode())).toList();
            for (Future<Integer> f : posted) {
                if (f.get() != 202) {
                    throw new IllegalStateException("a score was answered " + f.get());
                }
            }
            double postSeconds = Duration.between(postStart, Instant.now()).toMillis() / 1000.0;
            posters.shutdown();
            while (services.scores().size() - before < scores) {
                Thread.sleep(100);
            }
            double deliverSeconds = Duration.between(postStart, Instant.now()).toMillis() / 1000.0;
            System.out.printf("score intake: %d scores accepted in %.1f s (%.0f/s)%n", scores, postSeconds,
                    scores / postSeconds);
            System.out.printf("outbox: %d scores delivered to the platform %.1f s after the first was posted "
                    + "(%.0f scores/s end to end), %d token requests%n", scores, deliverSeconds,
                    scores / deliverSeconds, services.tokenRequests());
        }
    }

    private static RequestSpecification admin(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }
}
