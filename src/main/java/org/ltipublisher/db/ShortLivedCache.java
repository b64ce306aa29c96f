package org.ltipublisher.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A per-replica cache of rows that exist, kept for a few seconds: takes registration, deployment and
 * resource lookups off the launch's hot path. Only found values are kept (so keys are bounded by the
 * rows in the database, never by what a caller sends), changes on this replica clear it at once, and
 * other replicas see a change within the time to live. Losing it costs a query, nothing else.
 */
public final class ShortLivedCache<K, V> {

    private record Entry<V>(V value, Instant expiresAt) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    public ShortLivedCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The cached value, or the loader's answer (kept when present). */
    public Optional<V> get(K key, Supplier<Optional<V>> loader) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && now.isBefore(entry.expiresAt())) {
            return Optional.of(entry.value());
        }
        Optional<V> loaded = loader.get();
        if (loaded.isPresent() && !ttl.isZero()) {
            entries.put(key, new Entry<>(loaded.get(), now.plus(ttl)));
        } else {
            entries.remove(key);
        }
        return loaded;
    }

    public void clear() {
        entries.clear();
    }
}
