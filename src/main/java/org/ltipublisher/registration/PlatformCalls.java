package org.ltipublisher.registration;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.web.Rejection;

/**
 * The calls dynamic registration makes to a platform URL that came from a browser (DR 1.0 §3.3, §3.5):
 * https only (http and loopback hosts only with {@code lti.registration.allow-http}), time-limited,
 * size-capped, and redirects followed only within the same origin, so the URL cannot be used to make the
 * tool call arbitrary internal hosts.
 */
@ApplicationScoped
public class PlatformCalls {

    private static final int MAX_REDIRECTS = 3;

    private final LtiConfig config;
    private final HttpClient http;

    public PlatformCalls(LtiConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.registration().fetchTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A platform answer: status and (capped) body. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Refuses (with {@code status}) a URL the tool must not call; returns it parsed. */
    public URI checkUrl(String what, String url, int status) {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(url).trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Rejection(status, "invalid_platform_url", what + " is not a valid URL: '" + url + "'");
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new Rejection(status, "invalid_platform_url", what + " must be an absolute URL: '" + url + "'");
        }
        String scheme = uri.getScheme().toLowerCase();
        boolean allowHttp = config.registration().allowHttp();
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new Rejection(status, "insecure_platform_url", what + " must use https: '" + url + "'");
        }
        if (!allowHttp && isLocal(uri.getHost())) {
            throw new Rejection(status, "local_platform_url", what + " points to a local address: '" + url
                    + "'; platforms must be reachable on a public host name");
        }
        return uri;
    }

    public Answer get(String what, URI url, String bearer) {
        return send(what, url, null, bearer);
    }

    public Answer postJson(String what, URI url, String json, String bearer) {
        return send(what, url, json, bearer);
    }

    private Answer send(String what, URI url, String json, String bearer) {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .timeout(config.registration().fetchTimeout())
                    .header("Accept", "application/json")
                    .header("User-Agent", "LTI-Publisher");
            if (bearer != null && !bearer.isBlank()) {
                request.header("Authorization", "Bearer " + bearer);
            }
            if (json != null) {
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
            } else {
                request.GET();
            }
            HttpResponse<InputStream> response = exchange(what, current, request.build());
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                drain(response);
                URI next = current.resolve(response.headers().firstValue("Location").get());
                if (!sameOrigin(current, next)) {
                    throw new Rejection(502, "platform_redirect_refused", what + " at " + current
                            + " redirected to another host (" + next + "); the tool follows redirects only within "
                            + "the same origin");
                }
                current = next;
                continue;
            }
            return new Answer(status, read(what, current, response));
        }
        throw new Rejection(502, "platform_redirect_refused", what + " at " + url + " redirected more than "
                + MAX_REDIRECTS + " times");
    }

    private HttpResponse<InputStream> exchange(String what, URI url, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new Rejection(504, "platform_timeout", what + " at " + url + " did not answer within "
                    + config.registration().fetchTimeout().toSeconds() + " seconds");
        } catch (IOException e) {
            throw new Rejection(502, "platform_unreachable", what + " at " + url + " cannot be reached ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejection(503, "interrupted", "the tool is shutting down; try again");
        }
    }

    private String read(String what, URI url, HttpResponse<InputStream> response) {
        int max = config.registration().maxResponseBytes();
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new Rejection(502, "platform_answer_too_large", what + " at " + url + " answered more than "
                        + max + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Rejection(502, "platform_unreachable", what + " at " + url + " broke off its answer: " + e);
        }
    }

    private static void drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.readNBytes(8192);
        } catch (IOException ignored) {
            // the redirect's body is never used
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean isLocal(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                        || address.isSiteLocalAddress()) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException e) {
            return false; // the call itself will report the unknown host
        }
    }
}
