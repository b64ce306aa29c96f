package org.ltipublisher.platform;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.keys.SigningKey;
import org.ltipublisher.keys.ToolKeyService;
import org.ltipublisher.outbound.OutboundFailure;
import org.ltipublisher.outbound.PlatformClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * OAuth 2 client_credentials with a JWT client assertion (Security Framework §4.1, RFC 7523): the
 * assertion is signed with the tool key (kid in the header), iss = sub = client id, aud = the token
 * endpoint or the platform's configured audience. Tokens are cached per registration and scope set
 * until shortly before they expire (Blackboard issues one-hour tokens and asks tools to reuse them);
 * the cache is per replica and safe to lose.
 *
 * <p>Built with smallrye-jwt-build and the tool's {@link PlatformClient} rather than quarkus-oidc-client: the OIDC client
 * reads its signing key from configuration, while ours is rotated in the database at runtime.
 */
@ApplicationScoped
public class AccessTokens {

    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Logger LOG = Logger.getLogger(AccessTokens.class);

    private final ToolKeyService keys;
    private final PlatformConfig config;
    private final PlatformMetrics metrics;
    private final ObjectMapper json;
    private final Clock clock;
    private final PlatformClient client;
    private final Map<String, AccessToken> cache = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> fetchLocks = new ConcurrentHashMap<>();

    public AccessTokens(ToolKeyService keys, PlatformConfig config, PlatformMetrics metrics, ObjectMapper json,
            Clock clock, PlatformClient client) {
        this.keys = keys;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.client = client;
    }

    /** A valid token for these scopes, from the cache or fetched now (one fetch per key at a time). */
    public AccessToken token(PlatformTarget platform, Set<String> scopes) {
        String key = cacheKey(platform.registrationId(), scopes);
        AccessToken cached = fresh(cache.get(key));
        if (cached != null) {
            return cached;
        }
        ReentrantLock lock = fetchLocks.computeIfAbsent(key, k -> new ReentrantLock());
        try {
            // bounded like the call itself: a hanging token endpoint must not queue its platform's work forever
            if (!lock.tryLock(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PlatformCallFailure(0, true, null, "the token endpoint " + platform.accessTokenUrl()
                        + " has not answered another request for this token within " + config.callTimeout().toSeconds()
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformCallFailure(0, true, null, "interrupted while waiting for an access token");
        }
        try {
            cached = fresh(cache.get(key));
            if (cached != null) {
                return cached;
            }
            AccessToken fetched = fetch(platform, String.join(" ", new TreeSet<>(scopes)));
            cache.put(key, fetched);
            return fetched;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a token the platform refused (401), so the next call fetches a new one. */
    public void invalidate(AccessToken token) {
        cache.computeIfPresent(cacheKey(token.registrationId(), Set.of(token.scopes().split(" "))),
                (k, current) -> current.value().equals(token.value()) ? null : current);
    }

    private AccessToken fresh(AccessToken token) {
        return token != null && clock.instant().plus(config.tokenRefreshMargin()).isBefore(token.expiresAt()) ? token
                : null;
    }

    private AccessToken fetch(PlatformTarget platform, String scopes) {
        if (platform.accessTokenUrl() == null) {
            throw new PlatformCallFailure(0, false, null, "the registration for " + platform.issuer()
                    + " has no access token URL: add it to the registration's platform details");
        }
        String form = "grant_type=client_credentials"
                + "&client_assertion_type=" + encode(ASSERTION_TYPE)
                + "&client_assertion=" + encode(assertion(platform))
                + "&scope=" + encode(scopes);
        String what = "the token endpoint " + platform.accessTokenUrl();
        PlatformClient.Answer response;
        try {
            response = client.send(PlatformClient.Request.post(what, platform.accessTokenUrl(),
                    "application/x-www-form-urlencoded", form)
                    .header("Accept", "application/json")
                    .deadline(config.callTimeout()));
        } catch (OutboundFailure f) {
            metrics.tokenRequest(f.kind() == OutboundFailure.Kind.TIMEOUT ? "timeout" : "unreachable");
            throw PlatformCallFailure.of(f);
        }
        if (response.status() != 200) {
            metrics.tokenRequest("refused");
            throw PlatformCallFailure.of(response.status(), response.retryAfter(clock), what, response.text());
        }
        try {
            JsonNode body = json.readTree(response.text());
            String value = body.path("access_token").asText(null);
            if (value == null || value.isBlank()) {
                throw new PlatformCallFailure(200, false, null, what + " answered without an access_token");
            }
            long expiresIn = body.path("expires_in").asLong(3600);
            metrics.tokenRequest("ok");
            LOG.debugf("access token for %s (%s), %d s", platform.issuer(), scopes, expiresIn);
            return new AccessToken(platform.registrationId(), scopes, value, clock.instant().plusSeconds(expiresIn));
        } catch (IOException e) {
            metrics.tokenRequest("refused");
            throw new PlatformCallFailure(200, false, null, what + " answered with invalid JSON: " + e.getMessage());
        }
    }

    private String assertion(PlatformTarget platform) {
        SigningKey key = keys.signingKey();
        Instant now = clock.instant();
        return Jwt.issuer(platform.clientId())
                .subject(platform.clientId())
                .audience(platform.assertionAudience())
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now.getEpochSecond())
                .expiresAt(now.plus(config.assertionTtl()).getEpochSecond())
                .jws().keyId(key.kid()).algorithm(SignatureAlgorithm.RS256)
                .sign(key.privateKey());
    }

    private static String cacheKey(UUID registrationId, Set<String> scopes) {
        return registrationId + " " + scopes.stream().sorted().collect(Collectors.joining(" "));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
