package org.ltipublisher.launch;

import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.outbound.OutboundFailure;
import org.ltipublisher.outbound.PlatformClient;
import org.ltipublisher.registration.Registration;
import org.ltipublisher.web.Rejection;

/**
 * Platform public keys, cached per registration in memory (safe to lose): honours Cache-Control
 * max-age but keeps a set at least {@code lti.platform-jwks.min-cache-time} (platforms such as the TAO
 * DevKit answer {@code no-cache}, which would cost a fetch per launch), revalidates an expired set with
 * If-None-Match / If-Modified-Since (a 304 keeps the keys, RFC 9110 §13.1, RFC 9111 §4.3), refetches once on an unknown kid (platform key rotation, OIDC Core §10.1.1) but at most once
 * per {@code lti.platform-jwks.min-refetch-interval}, lets one thread fetch while others wait, and keeps
 * serving the last good set when a refetch fails. A slow or dead JWKS endpoint costs a launch at most
 * the fetch deadline ({@code lti.platform-jwks.fetch-timeout}, body included) plus as long again waiting
 * for another launch's fetch: launches that waited for a fetch that failed get its failure rather than
 * fetching again, so a dead platform cannot tie up the worker threads other platforms' launches need.
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
    private final PlatformClient client;
    private final Map<UUID, CachedSet> cache = new ConcurrentHashMap<>();
    private final Map<UUID, ReentrantLock> fetchLocks = new ConcurrentHashMap<>();
    private final Map<UUID, FailedFetch> failures = new ConcurrentHashMap<>();

    /** {@code kidMissRefetchAt}: when an unknown kid last forced a refetch (rate-limited), or null. */
    private record CachedSet(String url, JsonWebKeySet keys, Instant fetchedAt, Instant expiresAt,
            Instant kidMissRefetchAt, Validators validators) {
    }

    /** What the platform gave to revalidate its answer: ETag and Last-Modified, either may be null. */
    private record Validators(String etag, String lastModified) {
        static final Validators NONE = new Validators(null, null);
    }

    /** The last failed fetch of a registration's JWKS, handed to launches that waited for it. */
    private record FailedFetch(String url, long atNanos, Rejection failure) {
    }

    public PlatformKeySets(LtiConfig config, Clock clock, LaunchMetrics metrics, PlatformClient client) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.client = client;
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
        failures.remove(registrationId);
    }

    private CachedSet refresh(Registration registration, CachedSet seen, Instant kidMissAt) {
        ReentrantLock lock = fetchLocks.computeIfAbsent(registration.id, id -> new ReentrantLock());
        long waitingSince = System.nanoTime();
        rethrowRecentFailure(registration, waitingSince);
        try {
            if (!lock.tryLock(config.platformJwks().fetchTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Rejection(504, "jwks_timeout", "the platform's JWKS at " + registration.jwksUrl
                        + " is still being fetched for another launch and has not answered within "
                        + config.platformJwks().fetchTimeout().toSeconds() + " s; try the launch again later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejection(503, "interrupted", "the tool is shutting down; try the launch again");
        }
        try {
            CachedSet current = cache.get(registration.id);
            if (current != null && current != seen && current.url().equals(registration.jwksUrl)) {
                return current; // another thread fetched while we waited
            }
            rethrowRecentFailure(registration, waitingSince);
            try {
                // an unknown kid asks for the keys outright: a platform that rotated but kept its ETag must not 304 us
                CachedSet revalidate = kidMissAt == null && current != null && current.url().equals(registration.jwksUrl)
                        ? current : null;
                CachedSet fetched = fetch(registration.jwksUrl, kidMissAt, revalidate);
                cache.put(registration.id, fetched);
                failures.remove(registration.id);
                return fetched;
            } catch (Rejection failure) {
                failures.put(registration.id, new FailedFetch(registration.jwksUrl, System.nanoTime(), failure));
                if (current != null && current.url().equals(registration.jwksUrl)) {
                    LOG.warnf("platform JWKS %s unavailable (%s); using the keys fetched at %s", registration.jwksUrl,
                            failure.getMessage(), current.fetchedAt());
                    // stale-if-error, but try again no sooner than the refetch interval
                    CachedSet stale = new CachedSet(current.url(), current.keys(), clock.instant(),
                            clock.instant().plus(config.platformJwks().minRefetchInterval()), kidMissAt,
                            current.validators());
                    cache.put(registration.id, stale);
                    return stale;
                }
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A fetch that failed while we waited for it, or less than the refetch interval ago, is not tried
     * again: a dead platform's launches fail at once instead of each holding a thread for the deadline.
     */
    private void rethrowRecentFailure(Registration registration, long waitingSince) {
        CachedSet usable = cache.get(registration.id);
        if (usable != null && usable.url().equals(registration.jwksUrl)) {
            return; // stale-if-error has keys to offer
        }
        FailedFetch failed = failures.get(registration.id);
        if (failed != null && failed.url().equals(registration.jwksUrl) && (failed.atNanos() - waitingSince > 0
                || System.nanoTime() - failed.atNanos() < config.platformJwks().minRefetchInterval().toNanos())) {
            throw failed.failure();
        }
    }

    private CachedSet fetch(String url, Instant kidMissAt, CachedSet revalidate) {
        PlatformClient.Answer response;
        try {
            PlatformClient.Request request = PlatformClient.Request.get("the platform's JWKS", url)
                    .header("Accept", "application/json")
                    .deadline(config.platformJwks().fetchTimeout())
                    .maxBytes(MAX_BYTES);
            if (revalidate != null && revalidate.validators().etag() != null) {
                request = request.header("If-None-Match", revalidate.validators().etag());
            }
            if (revalidate != null && revalidate.validators().lastModified() != null) {
                request = request.header("If-Modified-Since", revalidate.validators().lastModified());
            }
            response = client.send(request);
        } catch (OutboundFailure f) {
            metrics.jwksFetched(false);
            LOG.infof("platform JWKS %s: %s", url, f.getMessage());
            throw new Rejection(f.kind() == OutboundFailure.Kind.TIMEOUT ? 504 : 502,
                    f.kind() == OutboundFailure.Kind.TIMEOUT ? "jwks_timeout" : "jwks_unavailable",
                    f.getMessage());
        }
        if (response.status() == 304 && revalidate != null) {
            Instant now = clock.instant();
            Duration keep = cacheTime(response);
            metrics.jwksRevalidated();
            LOG.debugf("platform JWKS %s not modified, cached %s more", url, keep);
            Validators validators = validators(response);
            return new CachedSet(url, revalidate.keys(), now, now.plus(keep), kidMissAt,
                    validators.etag() == null && validators.lastModified() == null ? revalidate.validators() : validators);
        }
        if (response.status() != 200) {
            metrics.jwksFetched(false);
            throw jwksFailure(url, "answered HTTP " + response.status());
        }
        try {
            JsonWebKeySet keys = new JsonWebKeySet(response.text());
            Instant now = clock.instant();
            Duration maxAge = cacheTime(response);
            metrics.jwksFetched(true);
            LOG.debugf("fetched platform JWKS %s: %d keys, cached %s", url, keys.getJsonWebKeys().size(), maxAge);
            return new CachedSet(url, keys, now, now.plus(maxAge), kidMissAt, validators(response));
        } catch (JoseException e) {
            metrics.jwksFetched(false);
            throw jwksFailure(url, "is not a JSON Web Key Set (" + e.getMessage() + ")");
        }
    }

    /** The platform's max-age (or the default without one), never below the configured floor. */
    private Duration cacheTime(PlatformClient.Answer response) {
        Duration maxAge = response.header("Cache-Control").flatMap(PlatformKeySets::maxAge)
                .orElse(config.platformJwks().defaultMaxAge());
        Duration floor = config.platformJwks().minCacheTime();
        return maxAge.compareTo(floor) < 0 ? floor : maxAge;
    }

    private static Validators validators(PlatformClient.Answer response) {
        return new Validators(response.header("ETag").orElse(null), response.header("Last-Modified").orElse(null));
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
