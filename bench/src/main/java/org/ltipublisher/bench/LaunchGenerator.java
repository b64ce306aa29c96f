package org.ltipublisher.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.ltipublisher.testing.LaunchSpec;
import org.ltipublisher.testing.PlatformSimulator;

/**
 * The load generator of the launch benchmark, the same for every tool: a simulated platform drives full
 * flows (OIDC login → launch → content page) over HTTP/1.1 keep-alive, signing each id_token in-process
 * as the platform's own work, and reads the CPU time of the tool's process and of PostgreSQL from /proc.
 */
final class LaunchGenerator implements AutoCloseable {

    /** Distinct users launching in turn: after the first round every launch is a returning user's. */
    static final int USERS = 2_000;

    /** What one measured phase gave; CPU figures are milliseconds per launch. */
    record Figures(int concurrency, int launches, double perSecond, double p50, double p95, double p99,
            double serviceCpu, double postgresCpu, double generatorCpu) {
    }

    // HTTP/1.1 with keep-alive, as browsers reach the pods through an ingress
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final PlatformSimulator platform = new PlatformSimulator();
    private final AtomicInteger launched = new AtomicInteger();

    PlatformSimulator platform() {
        return platform;
    }

    /** Launches since the last {@link #restartCount()}. */
    int launched() {
        return launched.get();
    }

    /** Counts from zero again: the next launches are user-0, user-1, … */
    void restartCount() {
        launched.set(0);
    }

    /**
     * Runs {@code launches} flows against the target from {@code concurrency} clients and returns the
     * figures; prints them (with the CPU by thread group and by PostgreSQL process) when {@code print}.
     */
    Figures phase(LaunchTarget target, String name, int concurrency, int launches, long servicePid, long postmaster,
            boolean print) throws Exception {
        if (launches <= 0) {
            return null;
        }
        double svc0 = ProcessCpu.seconds(servicePid);
        Map<Long, ProcessCpu.ThreadCpu> threads0 = ProcessCpu.threads(servicePid);
        Map<String, Double> pgRoles0 = ProcessCpu.treeByRole(postmaster);
        double pg0 = ProcessCpu.treeSeconds(postmaster);
        double gen0 = ProcessCpu.seconds(ProcessHandle.current().pid());
        long[] latencies = new long[launches];
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < launches; i = next.getAndIncrement()) {
                    latencies[i] = launchOnce(target, "user-" + (launched.getAndIncrement() % USERS));
                }
                return null;
            }));
        }
        try {
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double svc = ProcessCpu.seconds(servicePid) - svc0;
        double pg = ProcessCpu.treeSeconds(postmaster) - pg0;
        double gen = ProcessCpu.seconds(ProcessHandle.current().pid()) - gen0;
        Arrays.sort(latencies);
        Figures figures = new Figures(concurrency, launches, launches / seconds, pct(latencies, 50),
                pct(latencies, 95), pct(latencies, 99), svc * 1000 / launches, pg * 1000 / launches,
                gen * 1000 / launches);
        if (print) {
            System.out.printf("%-22s %6d %8d %10.0f %7.2f %7.2f %7.2f %12.3f %12.3f %12.3f%n", name, concurrency,
                    launches, figures.perSecond(), figures.p50(), figures.p95(), figures.p99(), figures.serviceCpu(),
                    figures.postgresCpu(), figures.generatorCpu());
            System.out.printf("%22s service ms CPU/launch by thread: %s%n", "",
                    perLaunch(Map.of(), ProcessCpu.groupDeltas(threads0, ProcessCpu.threads(servicePid), svc), launches));
            System.out.printf("%22s PostgreSQL ms CPU/launch by process: %s%n", "",
                    perLaunch(pgRoles0, ProcessCpu.treeByRole(postmaster), launches));
        }
        return figures;
    }

    static void printHeader() {
        System.out.printf("%n%-22s %6s %8s %10s %7s %7s %7s %12s %12s %12s%n", "phase", "conc", "launches",
                "launches/s", "p50 ms", "p95 ms", "p99 ms", "svc ms CPU", "pg ms CPU", "gen ms CPU");
    }

    /**
     * One launch as the browser does it: GET the tool's login; the platform signs an id_token for the
     * returned nonce (in-process, as the platform's own work); POST it with the state to the
     * authentication request's redirect_uri; follow the tool's redirects to the content page, carrying the
     * cookies the tool set. Returns the tool's time for its requests, in nanoseconds.
     */
    long launchOnce(LaunchTarget target, String sub) throws Exception {
        Map<String, String> cookies = new LinkedHashMap<>();
        String loginHint = sub + "-" + UUID.randomUUID();
        long t0 = System.nanoTime();
        HttpResponse<Void> login = http.send(HttpRequest.newBuilder(URI.create(target.loginUrl() + "?iss="
                + enc(platform.issuer()) + "&client_id=" + enc(target.clientId()) + "&login_hint=" + enc(loginHint)
                + "&target_link_uri=" + enc(target.targetLinkUri()))).build(), HttpResponse.BodyHandlers.discarding());
        long toolNanos = System.nanoTime() - t0;
        if (!isRedirect(login.statusCode())) {
            throw new IllegalStateException(target.name() + " login answered " + login.statusCode());
        }
        keep(cookies, login);
        Map<String, String> auth = query(URI.create(location(login)).getRawQuery());
        String idToken = platform.idToken(LaunchSpec.resourceLink(platform.issuer(), target.clientId(),
                target.deploymentId(), target.targetLinkUri(), sub), auth.get("nonce"));
        URI at = URI.create(auth.get("redirect_uri"));
        String form = "id_token=" + enc(idToken) + "&state=" + enc(auth.get("state"));
        long t1 = System.nanoTime();
        HttpResponse<String> answer = http.send(withCookies(HttpRequest.newBuilder(at), cookies)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        toolNanos += System.nanoTime() - t1;
        // LTI Publisher answers 303 to its activity with a hand-off token, ltijs 302 to its app route with an ltik
        for (int hops = 0; isRedirect(answer.statusCode()); hops++) {
            if (hops == 3) {
                throw new IllegalStateException(target.name() + " redirected more than 3 times after the launch");
            }
            keep(cookies, answer);
            at = at.resolve(location(answer));
            long t2 = System.nanoTime();
            answer = http.send(withCookies(HttpRequest.newBuilder(at), cookies).build(),
                    HttpResponse.BodyHandlers.ofString());
            toolNanos += System.nanoTime() - t2;
        }
        if (answer.statusCode() != 200 || !answer.body().contains(target.contentMarker())) {
            throw new IllegalStateException(target.name() + " answered " + answer.statusCode() + " at " + at.getPath()
                    + " instead of its content page: " + answer.body().substring(0, Math.min(300, answer.body().length())));
        }
        return toolNanos;
    }

    /** Seconds from the process's start until {@code url} answers 200. */
    double awaitReady(ProcessHandle process, String url, String log) throws Exception {
        long startedAt = process.info().startInstant().map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis());
        for (int i = 0; i < 6000; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process ended before it was ready; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return (System.currentTimeMillis() - startedAt) / 1000.0;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("not ready after 60 s; see " + log);
    }

    private static boolean isRedirect(int status) {
        return status == 302 || status == 303;
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException(response.statusCode() + " without a Location"));
    }

    /** Keeps the cookies a response set and drops the ones it expired, as a browser's cookie jar (RFC 6265 §5.3). */
    private static void keep(Map<String, String> cookies, HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String attributes = header.toLowerCase(Locale.ROOT);
            if (attributes.contains("max-age=0") || attributes.contains("expires=thu, 01 jan 1970")) {
                cookies.remove(pair.substring(0, eq).trim());
            } else {
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
    }

    private static HttpRequest.Builder withCookies(HttpRequest.Builder request, Map<String, String> cookies) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return request;
    }

    private static String perLaunch(Map<String, Double> before, Map<String, Double> after, int launches) {
        return after.entrySet().stream()
                .map(e -> String.format("%s %.3f", e.getKey(),
                        (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) * 1000 / launches))
                .collect(Collectors.joining(", "));
    }

    private static double pct(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static Map<String, String> query(String raw) {
        return Arrays.stream(raw.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        platform.close();
    }
}
