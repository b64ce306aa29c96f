package org.ltipublisher.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ShortLivedCacheTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void keepsFoundValuesForTheTimeToLiveOnly() {
        ManualClock clock = new ManualClock();
        ShortLivedCache<String, String> cache = new ShortLivedCache<>(Duration.ofSeconds(5), clock);
        AtomicInteger loads = new AtomicInteger();

        assertEquals(Optional.of("v1"), cache.get("k", () -> Optional.of("v" + loads.incrementAndGet())));
        clock.now = clock.now.plusSeconds(4);
        assertEquals(Optional.of("v1"), cache.get("k", () -> Optional.of("v" + loads.incrementAndGet())));
        clock.now = clock.now.plusSeconds(2);
        assertEquals(Optional.of("v2"), cache.get("k", () -> Optional.of("v" + loads.incrementAndGet())));
        cache.clear();
        assertEquals(Optional.of("v3"), cache.get("k", () -> Optional.of("v" + loads.incrementAndGet())));
    }

    @Test
    void neverKeepsAbsentValuesSoANewRowIsSeenAtOnce() {
        ShortLivedCache<String, String> cache = new ShortLivedCache<>(Duration.ofSeconds(5), new ManualClock());
        assertTrue(cache.get("k", Optional::empty).isEmpty());
        assertEquals(Optional.of("now there"), cache.get("k", () -> Optional.of("now there")));
    }

    @Test
    void zeroTimeToLiveDisablesIt() {
        ShortLivedCache<String, Integer> cache = new ShortLivedCache<>(Duration.ZERO, new ManualClock());
        AtomicInteger loads = new AtomicInteger();
        cache.get("k", () -> Optional.of(loads.incrementAndGet()));
        cache.get("k", () -> Optional.of(loads.incrementAndGet()));
        assertEquals(2, loads.get());
    }
}
