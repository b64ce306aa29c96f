package org.ltipublisher.admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.ltipublisher.admission.LaunchCountStore.HourCount;
import org.ltipublisher.admission.LaunchCountStore.Total;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;

/**
 * Launches by outcome, for the dashboard, across replicas. The launch path only adds one to a bucket in this
 * replica's memory (a map merge: no statement, no lock held across the launch); every 15 s
 * ({@code lti.launch-tally.flush}) and at shutdown the buckets are taken out of the map and added to
 * PostgreSQL in one upsert ({@link LaunchCountStore}). A launch counted while a flush runs lands in this flush
 * or the next, never in both and never in neither: each bucket is taken with an atomic remove.
 */
@ApplicationScoped
public class LaunchTally {

    /** A refused LTI 1.3 login or launch; the bucket's reason is the refusal's code. */
    public static final String REFUSED = "refused";
    /** Outcomes of LTI 1.1 launches carry this prefix. */
    public static final String LTI11 = "lti11_";

    private static final int TOP_REFUSALS = 10;
    private static final Logger LOG = Logger.getLogger(LaunchTally.class);

    private record Bucket(Instant hour, String outcome, String reason) {
    }

    /** Launches of the last 24 hours: by outcome (a refusal under its code) and the most frequent refusals. */
    @RegisterForReflection
    public record LastDay(long total, long refused, List<Total> byOutcome, List<Total> topRefusals) {
    }

    private final ConcurrentHashMap<Bucket, Long> counted = new ConcurrentHashMap<>();
    private final LaunchCountStore store;
    private final Clock clock;

    public LaunchTally(LaunchCountStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** An LTI 1.3 launch that led to {@code outcome} (the outcome's metric tag: launched, account_choice…). */
    public void launched(LaunchOutcome outcome) {
        // reading the state back from platform storage is a step of a launch, counted when it posts again
        if (!(outcome instanceof LaunchOutcome.ReadPlatformStorage)) {
            count(outcome.metricTag(), "");
        }
    }

    /** An LTI 1.3 login or launch refused with this {@code web.Rejection} code. */
    public void refused(String reason) {
        count(REFUSED, reason);
    }

    public void lti11Launched(LaunchOutcome outcome) {
        count(LTI11 + outcome.metricTag(), "");
    }

    public void lti11Refused(String reason) {
        count(LTI11 + REFUSED, reason);
    }

    private void count(String outcome, String reason) {
        counted.merge(new Bucket(clock.instant().truncatedTo(ChronoUnit.HOURS), outcome, reason), 1L, Long::sum);
    }

    @Scheduled(identity = "launch-tally", every = "${lti.launch-tally.flush:15s}", delayed = "15s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledFlush() {
        flush();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        flush();
    }

    /**
     * Adds what this replica counted since the last flush to PostgreSQL; returns how many buckets it wrote. On a
     * failure (database away) the counts go back into the map for the next flush.
     */
    public int flush() {
        List<HourCount> taken = new ArrayList<>();
        for (Bucket bucket : counted.keySet()) {
            Long n = counted.remove(bucket);
            if (n != null) {
                taken.add(new HourCount(bucket.hour(), bucket.outcome(), bucket.reason(), n));
            }
        }
        if (taken.isEmpty()) {
            return 0;
        }
        taken.sort(Comparator.comparing(HourCount::hour).thenComparing(HourCount::outcome)
                .thenComparing(HourCount::reason));
        try {
            store.add(taken);
        } catch (RuntimeException e) {
            taken.forEach(c -> counted.merge(new Bucket(c.hour(), c.outcome(), c.reason()), c.count(), Long::sum));
            LOG.warnf("launch counts not flushed (kept for the next flush): %s", e.getMessage());
            return 0;
        }
        return taken.size();
    }

    /** The buckets of the current hour and the 23 before it; what this replica has not flushed yet is not in. */
    public LastDay lastDay() {
        Instant from = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
        List<Total> totals = store.since(from);
        Map<String, Long> byOutcome = new LinkedHashMap<>();
        totals.forEach(t -> byOutcome.merge(t.outcome(), t.count(), Long::sum));
        List<Total> outcomes = byOutcome.entrySet().stream().map(e -> new Total(e.getKey(), "", e.getValue()))
                .sorted(Comparator.comparingLong(Total::count).reversed().thenComparing(Total::outcome)).toList();
        List<Total> refusals = totals.stream().filter(t -> isRefusal(t.outcome())).limit(TOP_REFUSALS).toList();
        long total = totals.stream().mapToLong(Total::count).sum();
        long refused = totals.stream().filter(t -> isRefusal(t.outcome())).mapToLong(Total::count).sum();
        return new LastDay(total, refused, outcomes, refusals);
    }

    private static boolean isRefusal(String outcome) {
        return outcome.equals(REFUSED) || outcome.equals(LTI11 + REFUSED);
    }
}
