package org.ltipublisher.legacy;

import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.ltipublisher.legacy.outcomes.BasicOutcomesClient;
import org.ltipublisher.legacy.outcomes.OutcomeDeliveryFailure;
import org.ltipublisher.legacy.outcomes.OutcomeTarget;
import org.ltipublisher.testing.AdminApi;
import org.ltipublisher.testing.AdminApi.Published;
import org.ltipublisher.testing.ConsumerSimulator;
import org.ltipublisher.testing.WithPostgres;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;

/**
 * lis_outcome_service_url comes from the LTI 1.1 launch, so a consumer (or whoever forged its launch
 * form) could point the tool's signed Basic Outcomes at the tool's own network: such a URL is not kept
 * at launch, and the client refuses it at send time too.
 */
@QuarkusTest
class OutcomeServiceAddressTest extends WithPostgres {

    @Inject
    BasicOutcomesClient client;

    @Test
    void anOutcomeServiceAtARefusedAddressIsNeitherKeptNorCalled() throws IOException {
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        AtomicInteger hits = new AtomicInteger();
        internal.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        internal.start();
        String internalUrl = "http://127.0.0.2:" + internal.getAddress().getPort() + "/outcomes";
        try (ConsumerSimulator consumer = ConsumerSimulator.create("anonymous", false)) {
            Published res = AdminApi.publish("Internal outcomes " + UUID.randomUUID(), "auto", "auto");
            String url = consumer.launchUrl(res.id());
            List<String[]> fields = ConsumerSimulator.with(ConsumerSimulator.with(
                    ConsumerSimulator.basicLaunch("u-" + UUID.randomUUID(), "rl-internal"),
                    "lis_outcome_service_url", internalUrl), "lis_result_sourcedid", "s-1");

            assertEquals(303, consumer.post(url, consumer.sign(url, fields)).statusCode(), "the launch itself works");
            AdminApi.admin().get("/api/v1/consumers/" + consumer.id + "/outcomes").then().statusCode(200)
                    .body("$", hasSize(0));

            OutcomeTarget forged = new OutcomeTarget(UUID.randomUUID(), consumer.id,
                    UUID.randomUUID(), "u-1", internalUrl, "s-1", Instant.now());
            OutcomeDeliveryFailure failure = assertThrows(OutcomeDeliveryFailure.class,
                    () -> client.replace(forged, new BigDecimal("0.5")));
            assertFalse(failure.retryable(), "a refused address does not get better by retrying");
            assertTrue(failure.getMessage().contains("not called"), failure.getMessage());
            assertEquals(0, hits.get(), "nothing, and no OAuth signature, reached the refused address");
        } finally {
            internal.stop(0);
        }
    }
}
