package org.ltipublisher.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltipublisher.outbound.OutboundFailure.Kind;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The one outbound client against real sockets: deadline with a trickling body, size cap, redirects, addresses. */
class PlatformClientTest {

    static OutboundConfig config(Duration callTimeout) {
        return new OutboundConfig() {
            public boolean allowHttp() {
                return true;
            }

            public Optional<List<String>> allowedNetworks() {
                return Optional.of(List.of("127.0.0.1/32", "::1/128"));
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            public Duration callTimeout() {
                return callTimeout;
            }

            public int maxAnswerBytes() {
                return 1024;
            }

            public int maxRedirects() {
                return 3;
            }

            public String userAgent() {
                return "LTI-Publisher/test";
            }
        };
    }

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private PlatformClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        OutboundConfig config = config(Duration.ofSeconds(2));
        client = new PlatformClient(new AddressPolicy(config), config);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void answersAnyStatusWithItsBodyAndUserAgent() {
        server.createContext("/ok", exchange -> answer(exchange, 429, exchange.getRequestHeaders().getFirst("User-Agent")));
        PlatformClient.Answer answer = client.send(PlatformClient.Request.get("the test", url("/ok")));
        assertEquals(429, answer.status());
        assertEquals("LTI-Publisher/test", answer.text());
        assertTrue(answer.retryable());
    }

    @Test
    void tricklingBodyEndsAtTheDeadline() {
        AtomicInteger bytesSent = new AtomicInteger();
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, then one byte a second for up to 30 s
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 30 && !release.await(1, TimeUnit.SECONDS); i++) {
                    out.write('{');
                    out.flush();
                    bytesSent.incrementAndGet();
                }
            } catch (InterruptedException | IOException e) {
                // the client gave up
            }
        });
        long start = System.nanoTime();
        OutboundFailure failure = assertThrows(OutboundFailure.class,
                () -> client.send(PlatformClient.Request.get("the trickle", url("/trickle")).deadline(Duration.ofSeconds(1))));
        assertEquals(Kind.TIMEOUT, failure.kind(), failure.getMessage());
        assertTrue(failure.retryable());
        assertTrue(release.getCount() == 1, "the trickle was still open when the client gave up");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(15)) < 0,
                "a 1 s deadline ends a 30 s trickle well before it finishes");
    }

    @Test
    void answerLargerThanTheCapIsRefused() {
        server.createContext("/declared", exchange -> answer(exchange, 200, "x".repeat(5000)));
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("y".repeat(5000).getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/exact", exchange -> answer(exchange, 200, "z".repeat(1024)));
        for (String path : List.of("/declared", "/chunked")) {
            OutboundFailure failure = assertThrows(OutboundFailure.class,
                    () -> client.send(PlatformClient.Request.get("the big answer", url(path))));
            assertEquals(Kind.TOO_LARGE, failure.kind(), path);
            assertTrue(failure.getMessage().contains("more than 1024 bytes"), failure.getMessage());
        }
        assertEquals(1024, client.send(PlatformClient.Request.get("the exact answer", url("/exact"))).body().length);
    }

    @Test
    void redirectsOnlyWithinTheOriginAndAtMostThreeTimes() throws IOException {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger otherHits = new AtomicInteger();
        other.createContext("/", exchange -> {
            otherHits.incrementAndGet();
            answer(exchange, 200, "elsewhere");
        });
        other.start();
        try {
            server.createContext("/away", exchange -> {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + other.getAddress().getPort() + "/x");
                answer(exchange, 302, "");
            });
            server.createContext("/hop", exchange -> {
                int n = Integer.parseInt(exchange.getRequestURI().getQuery());
                exchange.getResponseHeaders().add("Location", n == 0 ? "/target" : "/hop?" + (n - 1));
                answer(exchange, 307, "");
            });
            server.createContext("/target", exchange -> answer(exchange, 200, "here"));

            OutboundFailure away = assertThrows(OutboundFailure.class,
                    () -> client.send(PlatformClient.Request.get("the moved page", url("/away"))));
            assertEquals(Kind.REDIRECT_REFUSED, away.kind());
            assertEquals(0, otherHits.get(), "the other origin is never called");
            assertEquals("here", client.send(PlatformClient.Request.get("three hops", url("/hop?2"))).text());
            assertEquals(Kind.REDIRECT_REFUSED, assertThrows(OutboundFailure.class,
                    () -> client.send(PlatformClient.Request.get("four hops", url("/hop?3")))).kind());
        } finally {
            other.stop(0);
        }
    }

    @Test
    void refusedAddressesAreNeverDialled() throws IOException {
        // 127.0.0.2 answers on Linux' loopback interface but is not in the exempt 127.0.0.1/32
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        AtomicInteger hits = new AtomicInteger();
        internal.createContext("/", exchange -> {
            hits.incrementAndGet();
            answer(exchange, 200, "secret");
        });
        internal.start();
        try {
            OutboundFailure failure = assertThrows(OutboundFailure.class, () -> client.send(PlatformClient.Request
                    .get("the internal service", "http://127.0.0.2:" + internal.getAddress().getPort() + "/")
                    .header("Authorization", "Bearer secret-token")));
            assertEquals(Kind.REFUSED_ADDRESS, failure.kind());
            assertTrue(failure.getMessage().contains("127.0.0.0/8"), failure.getMessage());
            assertEquals(0, hits.get());
        } finally {
            internal.stop(0);
        }
        for (String url : List.of("http://[fd00::1]/", "http://100.64.0.1/", "http://198.18.0.1/",
                "http://[::ffff:10.0.0.1]/", "http://169.254.169.254/latest/meta-data")) {
            assertEquals(Kind.REFUSED_ADDRESS, assertThrows(OutboundFailure.class,
                    () -> client.send(PlatformClient.Request.get("x", url))).kind(), url);
        }
        for (String url : List.of("http://[fe80::1%25eth0]/", "ftp://example.org/", "not a url")) {
            OutboundFailure failure = assertThrows(OutboundFailure.class,
                    () -> client.send(PlatformClient.Request.get("x", url)));
            assertTrue(failure.kind() == Kind.INVALID_URL || failure.kind() == Kind.REFUSED_ADDRESS, url);
        }
    }
}
