package org.ltipublisher.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.registration.Registration;
import org.ltipublisher.web.Rejection;

/**
 * Platform public keys, cached per registration in memory (safe to lose): honours Cache-Control
 * max-age, refetches once on an unknown kid (platform key rotation, OIDC Core §10.1.1) but at most once
 * per {@code lti.platform-jwks.min-refetch-interval}, lets one thread fetch while others wait, and keeps
 * serving the last good set when a refetch fails.
 */
@ApplicationScoped
public class PlatformKeySets {

    private static final Logger LOG = Logger.getLogger(PlatformKeySets.class);
    private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*(\\d+)");
    private static final int MAX_BYTES = 512 * 1024;
    private static final Duration MAX_CACHE = Duration.ofDays(1);

    private final LtiConfig config;
    private final Clock clock;
    private final LaunchMetrics metrics;
    private final HttpClient http;
    private final Map<UUID, CachedSet> cache = new ConcurrentHashMap<>();
    private final Map<UUID, Object> fetchLocks = new ConcurrentHashMap<>();

    /** {@code kidMissRefetchAt}: when an unknown kid last forced a refetch (rate-limited), or null. */
    private record CachedSet(String url, JsonWebKeySet keys, Instant fetchedAt, Instant expiresAt,
            Instant kidMissRefetchAt) {
    }

    public PlatformKeySets(LtiConfig config, Clock clock, LaunchMetrics metrics) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.platformJwks().fetchTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The platform's verification key with this kid, or a rejection naming what is wrong. */
    public Key key(Registration registration, String kid) {
        CachedSet current = cache.get(registration.id);
        Instant now = clock.instant();
        if (current != null && current.url().equals(registration.jwksUrl) && now.isBefore(current.expiresAt())) {
            Optional<Key> found = find(current, kid);
            if (found.isPresent()) {
                metrics.jwksCacheHit();
                return found.get();
            }
            Instant lastMiss = current.kidMissRefetchAt();
            if (lastMiss != null && now.isBefore(lastMiss.plus(config.platformJwks().minRefetchInterval()))) {
                throw unknownKid(registration, kid);
            }
        }
        boolean kidMiss = current != null && current.url().equals(registration.jwksUrl)
                && now.isBefore(current.expiresAt());
        CachedSet refreshed = refresh(registration, current, kidMiss ? now : null);
        return find(refreshed, kid).orElseThrow(() -> unknownKid(registration, kid));
    }

    /** Forgets a registration's keys (its JWKS URL changed or it was deleted). */
    public void evict(UUID registrationId) {
        cache.remove(registrationId);
    }

    private CachedSet refresh(Registration registration, CachedSet seen, Instant kidMissAt) {
        synchronized (fetchLocks.computeIfAbsent(registration.id, id -> new Object())) {
            CachedSet current = cache.get(registration.id);
            if (current != null && current != seen && current.url().equals(registration.jwksUrl)) {
                return current; // another thread fetched while we waited
            }
            try {
                CachedSet fetched = fetch(registration.jwksUrl, kidMissAt);
                cache.put(registration.id, fetched);
                return fetched;
            } catch (Rejection failure) {
                if (current != null && current.url().equals(registration.jwksUrl)) {
                    LOG.warnf("platform JWKS %s unavailable (%s); using the keys fetched at %s", registration.jwksUrl,
                            failure.getMessage(), current.fetchedAt());
                    // stale-if-error, but try again no sooner than the refetch interval
                    CachedSet stale = new CachedSet(current.url(), current.keys(), clock.instant(),
                            clock.instant().plus(config.platformJwks().minRefetchInterval()), kidMissAt);
                    cache.put(registration.id, stale);
                    return stale;
                }
                throw failure;
            }
        }
    }

    private CachedSet fetch(String url, Instant kidMissAt) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.platformJwks().fetchTimeout())
                .header("Accept", "application/json")
                .header("User-Agent", "LTI-Publisher")
                .GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw jwksFailure(url, "answer is larger than " + MAX_BYTES + " bytes");
                }
                body = new String(bytes, StandardCharsets.UTF_8);
            }
            if (response.statusCode() != 200) {
                throw jwksFailure(url, "answered HTTP " + response.statusCode());
            }
            JsonWebKeySet keys = new JsonWebKeySet(body);
            Instant now = clock.instant();
            Duration maxAge = response.headers().firstValue("Cache-Control").flatMap(PlatformKeySets::maxAge)
                    .orElse(config.platformJwks().defaultMaxAge());
            metrics.jwksFetched(true);
            LOG.debugf("fetched platform JWKS %s: %d keys, cached %s", url, keys.getJsonWebKeys().size(), maxAge);
            return new CachedSet(url, keys, now, now.plus(maxAge), kidMissAt);
        } catch (JoseException e) {
            metrics.jwksFetched(false);
            throw jwksFailure(url, "is not a JSON Web Key Set (" + e.getMessage() + ")");
        } catch (IOException e) {
            metrics.jwksFetched(false);
            throw jwksFailure(url, "could not be fetched (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw jwksFailure(url, "fetch was interrupted");
        } catch (Rejection e) {
            metrics.jwksFetched(false);
            throw e;
        }
    }

    private static Optional<Duration> maxAge(String cacheControl) {
        String value = cacheControl.toLowerCase(Locale.ROOT);
        if (value.contains("no-store") || value.contains("no-cache")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = MAX_AGE.matcher(value);
        if (!m.find()) {
            return Optional.empty();
        }
        Duration age = Duration.ofSeconds(Long.parseLong(m.group(1).length() > 9 ? "999999999" : m.group(1)));
        return Optional.of(age.compareTo(MAX_CACHE) > 0 ? MAX_CACHE : age);
    }

    private static Optional<Key> find(CachedSet set, String kid) {
        for (JsonWebKey jwk : set.keys().getJsonWebKeys()) {
            if (kid.equals(jwk.getKeyId()) && (jwk.getUse() == null || "sig".equals(jwk.getUse()))) {
                return Optional.of(jwk.getKey());
            }
        }
        return Optional.empty();
    }

    private static Rejection unknownKid(Registration registration, String kid) {
        return new Rejection(401, "unknown_kid", "the id_token's key id '" + kid + "' is not in the platform's JWKS ("
                + registration.jwksUrl + ")");
    }

    private static Rejection jwksFailure(String url, String what) {
        return new Rejection(502, "jwks_unavailable", "the platform's JWKS at " + url + " " + what);
    }
}
