package org.ltipublisher.platform;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.keys.SigningKey;
import org.ltipublisher.keys.ToolKeyService;

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
 * <p>Built with smallrye-jwt-build and java.net.http rather than quarkus-oidc-client: the OIDC client
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
    private final HttpClient http;
    private final Map<String, AccessToken> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> fetchLocks = new ConcurrentHashMap<>();

    public AccessTokens(ToolKeyService keys, PlatformConfig config, PlatformMetrics metrics, ObjectMapper json,
            Clock clock) {
        this.keys = keys;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(config.callTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A valid token for these scopes, from the cache or fetched now (one fetch per key at a time). */
    public AccessToken token(PlatformTarget platform, Set<String> scopes) {
        String key = cacheKey(platform.registrationId(), scopes);
        AccessToken cached = fresh(cache.get(key));
        if (cached != null) {
            return cached;
        }
        synchronized (fetchLocks.computeIfAbsent(key, k -> new Object())) {
            cached = fresh(cache.get(key));
            if (cached != null) {
                return cached;
            }
            AccessToken fetched = fetch(platform, String.join(" ", new TreeSet<>(scopes)));
            cache.put(key, fetched);
            return fetched;
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.accessTokenUrl()))
                .timeout(config.callTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("User-Agent", config.userAgent())
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        String what = "the token endpoint " + platform.accessTokenUrl();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            metrics.tokenRequest("timeout");
            throw new PlatformCallFailure(0, true, null, what + " did not answer in " + config.callTimeout());
        } catch (IOException e) {
            metrics.tokenRequest("unreachable");
            throw new PlatformCallFailure(0, true, null, what + " is unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformCallFailure(0, true, null, what + ": interrupted");
        }
        if (response.statusCode() != 200) {
            metrics.tokenRequest("refused");
            throw PlatformCallFailure.of(response.statusCode(), PlatformHttp.retryAfter(response, clock), what,
                    response.body());
        }
        try {
            JsonNode body = json.readTree(response.body());
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
