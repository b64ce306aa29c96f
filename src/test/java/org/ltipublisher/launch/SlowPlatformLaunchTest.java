package org.ltipublisher.launch;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.AdminApi.Registered;
import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.LtiBrowser;
import org.ltipublisher.testing.PlatformSimulator;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A platform whose JWKS endpoint sends its headers and then trickles one byte a second (issue: it held
 * a per-registration lock with no body timeout, and every launch of that platform a worker thread).
 * Its launches end at the fetch deadline with the tool's 504 page; meanwhile the tool keeps serving.
 */
@QuarkusTest
class SlowPlatformLaunchTest extends WithPostgres {

    /** One byte a second for at most 60 s, or until released; counts the trickles under way. */
    static final class Trickle {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();

        void serve(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
            requests.incrementAndGet();
            open.incrementAndGet();
            try {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                started.countDown();
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write('{');
                    out.flush();
                    for (int i = 0; i < 60 && !release.await(1, TimeUnit.SECONDS); i++) {
                        out.write(' ');
                        out.flush();
                    }
                } catch (IOException | InterruptedException clientGone) {
                    // the tool hung up: exactly what it should do at its deadline
                }
            } finally {
                open.decrementAndGet();
                exchange.close();
            }
        }
    }

    private static Registered register(PlatformSimulator platform, String jwksUrl) {
        String clientId = "client-" + UUID.randomUUID();
        String id = AdminApi.admin().body(Map.of("name", "Platform " + clientId))
                .post("/api/v1/registrations").then().statusCode(201).extract().path("id");
        AdminApi.admin().body(Map.of("issuer", platform.issuer(), "clientId", clientId,
                "authenticationRequestUrl", platform.authUrl(), "accessTokenUrl", platform.tokenUrl(),
                "jwksUrl", jwksUrl))
                .put("/api/v1/registrations/" + id + "/platform").then().statusCode(200);
        AdminApi.admin().body(Map.of("deploymentId", "dep-1", "name", "Site"))
                .post("/api/v1/registrations/" + id + "/deployments").then().statusCode(201);
        return new Registered(UUID.fromString(id), platform.issuer(), clientId, "dep-1");
    }

    private static Response launch(PlatformSimulator platform, Registered reg, Published res) {
        LaunchSpec spec = LaunchSpec.resourceLink(reg.issuer(), reg.clientId(), "dep-1", res.launchUrl(),
                "learner-" + UUID.randomUUID());
        return new LtiBrowser().launch(platform, reg, res.launchUrl(), spec);
    }

    @Test
    void aTricklingJwksCostsItsOwnLaunchesAFewSecondsAndNobodyElseAnything() throws Exception {
        Trickle trickle = new Trickle();
        ExecutorService launches = Executors.newFixedThreadPool(6);
        try (PlatformSimulator slow = new PlatformSimulator(); PlatformSimulator healthy = new PlatformSimulator()) {
            slow.route("/slow-jwks", trickle::serve);
            Registered slowReg = register(slow, slow.issuer() + "/slow-jwks");
            Registered healthyReg = AdminApi.register(healthy, "client-" + UUID.randomUUID(), "dep-1");
            Published res = AdminApi.publish("Slow platform", "auto", "auto");

            long start = System.nanoTime();
            List<Future<Response>> slowLaunches = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                slowLaunches.add(launches.submit(() -> launch(slow, slowReg, res)));
            }
            assertTrue(trickle.started.await(60, TimeUnit.SECONDS), "the tool fetches the trickling JWKS");

            // while the trickle is open: readiness, the tool's keys and another platform's launch answer
            given().get("/q/health/ready").then().statusCode(200);
            given().get("/.well-known/jwks.json").then().statusCode(200);
            Response other = launch(healthy, healthyReg, res);
            assertEquals(303, other.statusCode(), other.asString());
            assertTrue(trickle.release.getCount() == 1 && trickle.requests.get() >= 1,
                    "those answered while the trickling platform's launches were still waiting");

            for (Future<Response> f : slowLaunches) {
                Response refused = f.get(50, TimeUnit.SECONDS);
                assertTrue(refused.statusCode() == 504 || refused.statusCode() == 502, refused.asString());
                assertTrue(refused.contentType().startsWith("text/html"), refused.contentType());
                assertTrue(refused.asString().contains("JWKS"), refused.asString());
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(50)) < 0,
                    "launches end at the 5 s fetch deadline, not with the 60 s trickle");
            assertTrue(trickle.requests.get() <= 2, "launches waiting for the same fetch share its failure, not "
                    + "one fetch each: " + trickle.requests.get() + " fetches");
        } finally {
            trickle.release.countDown();
            launches.shutdownNow();
        }
    }
}
