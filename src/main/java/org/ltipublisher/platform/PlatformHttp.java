package org.ltipublisher.platform;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Link;

import org.ltipublisher.outbound.OutboundFailure;
import org.ltipublisher.outbound.PlatformClient;

/**
 * One authorised call to a platform service (AGS, NRPS): bearer token from {@link AccessTokens}, the
 * service media type, a bounded number of calls per platform at once, sent through the one
 * {@link PlatformClient} (deadline, address policy: URLs from launch claims never get the token unless
 * their address is public). A 401 drops the token and retries once with a new one (Security Framework
 * §4.1; tokens may be revoked early).
 */
@ApplicationScoped
public class PlatformHttp {

    private final AccessTokens tokens;
    private final PlatformConfig config;
    private final Clock clock;
    private final PlatformClient client;
    private final Map<UUID, Semaphore> perPlatform = new ConcurrentHashMap<>();

    public PlatformHttp(AccessTokens tokens, PlatformConfig config, Clock clock, PlatformClient client) {
        this.tokens = tokens;
        this.config = config;
        this.clock = clock;
        this.client = client;
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
    public record Answer(int status, String body, List<String> linkHeaders) {
        /** The target of the Link header with this rel (RFC 8288), e.g. NRPS "next" and "differences". */
        public Optional<String> link(String rel) {
            for (String value : linkHeaders) {
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
        // refuse a bad or non-public URL before fetching a token for it
        try {
            client.check(call.what(), call.url());
        } catch (OutboundFailure f) {
            throw PlatformCallFailure.of(f);
        }
        Semaphore slots = perPlatform.computeIfAbsent(platform.registrationId(),
                id -> new Semaphore(config.maxConcurrentPerPlatform(), true));
        try {
            // bounded: a platform whose calls all hang must not hold its callers forever
            if (!slots.tryAcquire(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PlatformCallFailure(0, true, null, call.what() + ": " + config.maxConcurrentPerPlatform()
                        + " calls to this platform are still under way; trying again later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformCallFailure(0, true, null, call.what() + ": interrupted");
        }
        try {
            AccessToken token = tokens.token(platform, scopes);
            PlatformClient.Answer response = exchange(call, token);
            if (response.status() == 401) {
                tokens.invalidate(token);
                response = exchange(call, tokens.token(platform, scopes));
            }
            if (!response.ok()) {
                throw PlatformCallFailure.of(response.status(), response.retryAfter(clock), call.what(),
                        response.text());
            }
            return new Answer(response.status(), response.text(), response.headers("Link"));
        } finally {
            slots.release();
        }
    }

    private PlatformClient.Answer exchange(Call call, AccessToken token) {
        PlatformClient.Request request = PlatformClient.Request.of(call.what(), call.method(), call.url(),
                call.contentType(), call.body())
                .header("Authorization", "Bearer " + token.value())
                .header("Accept", call.accept())
                .deadline(config.callTimeout());
        try {
            return client.send(request);
        } catch (OutboundFailure f) {
            throw PlatformCallFailure.of(f);
        }
    }
}
