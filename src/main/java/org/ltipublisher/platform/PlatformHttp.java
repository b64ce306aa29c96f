package org.ltipublisher.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Link;

/**
 * One authorised call to a platform service (AGS, NRPS): bearer token from {@link AccessTokens}, the
 * service media type, a User-Agent, a bounded number of calls per platform at once. A 401 drops the
 * token and retries once with a new one (Security Framework §4.1; tokens may be revoked early).
 */
@ApplicationScoped
public class PlatformHttp {

    private final AccessTokens tokens;
    private final PlatformConfig config;
    private final Clock clock;
    private final HttpClient http;
    private final Map<UUID, Semaphore> perPlatform = new ConcurrentHashMap<>();

    public PlatformHttp(AccessTokens tokens, PlatformConfig config, Clock clock) {
        this.tokens = tokens;
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(config.callTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A call: GET when {@code body} is null, else {@code method} with the body in {@code contentType}. */
    public record Call(String method, String url, String accept, String contentType, String body, String what) {
        public static Call get(String url, String accept, String what) {
            return new Call("GET", url, accept, null, null, what);
        }

        public static Call post(String url, String accept, String contentType, String body, String what) {
            return new Call("POST", url, accept, contentType, body, what);
        }
    }

    /** A 2xx answer. */
    public record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        /** The target of the Link header with this rel (RFC 8288), e.g. NRPS "next" and "differences". */
        public Optional<String> link(String rel) {
            for (String value : headers.allValues("Link")) {
                for (String part : value.split(",(?=\\s*<)")) {
                    try {
                        Link link = Link.valueOf(part.trim());
                        if (link.getRels().contains(rel)) {
                            return Optional.of(link.getUri().toString());
                        }
                    } catch (IllegalArgumentException ignored) {
                        // a malformed link is skipped like an absent one
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** Sends the call; any answer but 2xx becomes a {@link PlatformCallFailure}. */
    public Answer send(PlatformTarget platform, Set<String> scopes, Call call) {
        Semaphore slots = perPlatform.computeIfAbsent(platform.registrationId(),
                id -> new Semaphore(config.maxConcurrentPerPlatform(), true));
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformCallFailure(0, true, null, call.what() + ": interrupted");
        }
        try {
            AccessToken token = tokens.token(platform, scopes);
            HttpResponse<String> response = exchange(call, token);
            if (response.statusCode() == 401) {
                tokens.invalidate(token);
                response = exchange(call, tokens.token(platform, scopes));
            }
            if (response.statusCode() / 100 != 2) {
                throw PlatformCallFailure.of(response.statusCode(), retryAfter(response, clock), call.what(),
                        response.body());
            }
            return new Answer(response.statusCode(), response.body(), response.headers());
        } finally {
            slots.release();
        }
    }

    private HttpResponse<String> exchange(Call call, AccessToken token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.url()))
                .timeout(config.callTimeout())
                .header("Authorization", "Bearer " + token.value())
                .header("Accept", call.accept())
                .header("User-Agent", config.userAgent());
        if (call.body() == null) {
            request.method(call.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", call.contentType())
                    .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body()));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new PlatformCallFailure(0, true, null, call.what() + " did not answer in " + config.callTimeout());
        } catch (IOException e) {
            throw new PlatformCallFailure(0, true, null, call.what() + " is unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformCallFailure(0, true, null, call.what() + ": interrupted");
        }
    }

    /** Retry-After as delay-seconds or HTTP-date (RFC 9110 §10.2.3). */
    static Duration retryAfter(HttpResponse<?> response, Clock clock) {
        Optional<String> value = response.headers().firstValue("Retry-After").map(String::trim);
        if (value.isEmpty() || value.get().isEmpty()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.get())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
