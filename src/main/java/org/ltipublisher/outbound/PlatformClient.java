package org.ltipublisher.outbound;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.ltipublisher.outbound.OutboundFailure.Kind;

import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The one HTTP client for everything the tool sends to platforms: JWKS, token endpoint, AGS, NRPS,
 * Basic Outcomes and dynamic registration. It owns the connect timeout and a total deadline that
 * includes reading the body (OkHttp's call timeout, so a platform trickling its answer cannot hold a
 * thread), the answer size cap, same-origin redirects only, the User-Agent, and the address policy:
 * applied to what DNS returns (only allowed addresses are ever dialled) and again to the socket's peer
 * address before the request is written (a name that re-resolves elsewhere cannot slip through).
 * Failures without an HTTP answer are an {@link OutboundFailure}; HTTP answers, 2xx or not, are returned.
 */
@ApplicationScoped
public class PlatformClient {

    private static final Logger LOG = Logger.getLogger(PlatformClient.class);

    private final OkHttpClient http;
    private final AddressPolicy policy;
    private final OutboundConfig config;

    /** One call: what it is for (in messages), where, and its own deadline and cap (null: the defaults). */
    public record Request(String what, String method, String url, Map<String, String> headers, String contentType,
            byte[] body, Duration deadline, Integer maxBytes) {

        public static Request get(String what, String url) {
            return new Request(what, "GET", url, Map.of(), null, null, null, null);
        }

        public static Request post(String what, String url, String contentType, byte[] body) {
            return new Request(what, "POST", url, Map.of(), contentType, body, null, null);
        }

        public static Request post(String what, String url, String contentType, String body) {
            return post(what, url, contentType, body.getBytes(StandardCharsets.UTF_8));
        }

        public static Request of(String what, String method, String url, String contentType, String body) {
            return body == null ? new Request(what, method, url, Map.of(), null, null, null, null)
                    : new Request(what, method, url, Map.of(), contentType, body.getBytes(StandardCharsets.UTF_8),
                            null, null);
        }

        public Request header(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Request(what, method, url, Map.copyOf(all), contentType, body, deadline, maxBytes);
        }

        public Request deadline(Duration value) {
            return new Request(what, method, url, headers, contentType, body, value, maxBytes);
        }

        public Request maxBytes(int value) {
            return new Request(what, method, url, headers, contentType, body, deadline, value);
        }
    }

    /** An HTTP answer, whatever its status, with its body read up to the cap. */
    public record Answer(int status, byte[] body, Headers headers) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }

        public List<String> headers(String name) {
            return headers.values(name);
        }

        /** Whether trying again later can help (RFC 9110 §15.5.9, §15.6; RFC 6585 §4 for 429, RFC 8470 for 425). */
        public boolean retryable() {
            return status == 408 || status == 425 || status == 429 || status >= 500;
        }

        /** Retry-After as delay-seconds or HTTP-date (RFC 9110 §10.2.3), or null when absent or unreadable. */
        public Duration retryAfter(Clock clock) {
            String value = header("Retry-After").map(String::trim).orElse("");
            if (value.isEmpty()) {
                return null;
            }
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
            } catch (NumberFormatException notSeconds) {
                try {
                    Duration until = Duration.between(clock.instant(),
                            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                    return until.isNegative() ? Duration.ZERO : until;
                } catch (DateTimeParseException notADate) {
                    return null;
                }
            }
        }
    }

    /** An address the policy refuses, raised from inside OkHttp (DNS or the connected socket). */
    private static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String message) {
            super(message);
        }
    }

    @Inject
    public PlatformClient(AddressPolicy policy, OutboundConfig config) {
        this.policy = policy;
        this.config = config;
        this.http = new OkHttpClient.Builder()
                .proxy(Proxy.NO_PROXY) // a proxy would dial for us, out of the address policy's sight
                .dns(this::lookup)
                .addNetworkInterceptor(chain -> {
                    Connection connection = chain.connection();
                    Socket socket = connection == null ? null : connection.socket();
                    if (socket == null || socket.getInetAddress() == null) {
                        throw new RefusedAddress("the connection's peer address is unknown");
                    }
                    Optional<String> refused = policy.refusal(socket.getInetAddress());
                    if (refused.isPresent()) {
                        throw new RefusedAddress(refused.get());
                    }
                    return chain.proceed(chain.request());
                })
                .connectTimeout(config.connectTimeout())
                .readTimeout(Duration.ZERO) // the call timeout bounds the whole call instead
                .writeTimeout(Duration.ZERO)
                .callTimeout(config.callTimeout())
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    @PreDestroy
    void stop() {
        http.connectionPool().evictAll();
    }

    private List<InetAddress> lookup(String host) throws UnknownHostException {
        List<InetAddress> allowed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (InetAddress address : Dns.SYSTEM.lookup(host)) {
            policy.refusal(address).ifPresentOrElse(refused::add, () -> allowed.add(address));
        }
        if (allowed.isEmpty()) {
            throw new RefusedAddress(host + " resolves to " + String.join(", ", refused));
        }
        return allowed;
    }

    /**
     * Checks a URL without calling it: parseable, https (or allowed http), and not an address literal the
     * policy refuses. Names are resolved only when called.
     */
    public HttpUrl check(String what, String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url.trim());
        if (parsed == null) {
            throw new OutboundFailure(Kind.INVALID_URL, what + " is not a valid http(s) URL: '" + url + "'");
        }
        if (!parsed.isHttps() && !policy.allowsHttp()) {
            throw new OutboundFailure(Kind.INVALID_URL, what + " must use https: '" + url + "'");
        }
        Optional<String> refused = AddressPolicy.literal(parsed.host()).flatMap(policy::refusal);
        if (refused.isPresent()) {
            throw refusedAddress(what, parsed, refused.get());
        }
        return parsed;
    }

    /** Sends the request, following same-origin redirects; returns any HTTP answer, or throws {@link OutboundFailure}. */
    public Answer send(Request request) {
        HttpUrl url = check(request.what(), request.url());
        Duration deadline = request.deadline() != null ? request.deadline() : config.callTimeout();
        long endNanos = System.nanoTime() + deadline.toNanos();
        int maxBytes = request.maxBytes() != null ? request.maxBytes() : config.maxAnswerBytes();
        String method = request.method();
        byte[] body = request.body();
        for (int hop = 0; hop <= config.maxRedirects(); hop++) {
            long remaining = endNanos - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(request, url, deadline);
            }
            Call call = http.newCall(build(request, url, method, body));
            call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
            try (Response response = call.execute()) {
                String location = response.header("Location");
                if (response.isRedirect() && location != null) {
                    HttpUrl next = url.resolve(location);
                    if (next == null || !sameOrigin(url, next)) {
                        throw new OutboundFailure(Kind.REDIRECT_REFUSED, request.what() + " at " + url
                                + " redirected to another host, scheme or port (" + location + "); the tool follows "
                                + "redirects only within the same origin");
                    }
                    if (response.code() == 303 || ((response.code() == 301 || response.code() == 302)
                            && !method.equals("GET") && !method.equals("HEAD"))) {
                        method = "GET"; // RFC 9110 §15.4.2–4: user agents change these to GET
                        body = null;
                    }
                    url = next;
                    continue;
                }
                return new Answer(response.code(), read(request, url, response.body(), maxBytes), response.headers());
            } catch (RefusedAddress e) {
                throw refusedAddress(request.what(), url, e.getMessage());
            } catch (IOException e) {
                Optional<String> refused = refusedIn(e);
                if (refused.isPresent()) {
                    throw refusedAddress(request.what(), url, refused.get());
                }
                if (call.isCanceled() || e instanceof InterruptedIOException || System.nanoTime() >= endNanos) {
                    throw timeout(request, url, deadline);
                }
                LOG.debugf("%s at %s: %s", request.what(), url, e);
                throw new OutboundFailure(Kind.UNREACHABLE, request.what() + " at " + url + " cannot be reached ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
        }
        throw new OutboundFailure(Kind.REDIRECT_REFUSED, request.what() + " at " + request.url() + " redirected more than "
                + config.maxRedirects() + " times");
    }

    private okhttp3.Request build(Request request, HttpUrl url, String method, byte[] body) {
        okhttp3.Request.Builder builder = new okhttp3.Request.Builder().url(url)
                .header("User-Agent", config.userAgent());
        request.headers().forEach(builder::header);
        RequestBody payload = body == null ? null
                : RequestBody.create(body, request.contentType() == null ? null : MediaType.parse(request.contentType()));
        if (payload == null && (method.equals("POST") || method.equals("PUT"))) {
            payload = RequestBody.create(new byte[0], null);
        }
        return builder.method(method, payload).build();
    }

    /** At most {@code max} bytes; a larger answer is refused without reading the rest. */
    private static byte[] read(Request request, HttpUrl url, ResponseBody body, int max) throws IOException {
        if (body == null) {
            return new byte[0];
        }
        if (body.contentLength() > max) {
            throw tooLarge(request, url, max);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        while (buffer.size() <= max) {
            if (source.read(buffer, Math.min(8192, max + 1 - buffer.size())) == -1) {
                return buffer.readByteArray();
            }
        }
        throw tooLarge(request, url, max);
    }

    private static OutboundFailure tooLarge(Request request, HttpUrl url, int max) {
        return new OutboundFailure(Kind.TOO_LARGE, request.what() + " at " + url + " answered more than " + max
                + " bytes");
    }

    private static OutboundFailure timeout(Request request, HttpUrl url, Duration deadline) {
        return new OutboundFailure(Kind.TIMEOUT, request.what() + " at " + url + " did not answer completely within "
                + seconds(deadline));
    }

    private static OutboundFailure refusedAddress(String what, HttpUrl url, String why) {
        return new OutboundFailure(Kind.REFUSED_ADDRESS, what + " at " + url + " is not called: " + why
                + "; the tool calls only public addresses (see lti.outbound.allowed-networks)");
    }

    private static Optional<String> refusedIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RefusedAddress) {
                return Optional.ofNullable(t.getMessage());
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof RefusedAddress) {
                    return Optional.ofNullable(suppressed.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /** Same scheme, host and effective port (RFC 6454 §4). */
    public static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().toLowerCase(Locale.ROOT).equals(b.host().toLowerCase(Locale.ROOT))
                && a.port() == b.port();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
