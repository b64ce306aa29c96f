package org.ltipublisher.retention;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;
import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JobLeases;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the tables that grow with launches, grades and syncs bounded (issue 15): every replica ticks, the one
 * that claims the {@code purge} lease deletes what is past its use in batches, and keeps the lease until the next
 * interval, so the replicas together purge once per interval. A replica that dies mid-run stops renewing; its
 * lease runs out after {@code lti.retention.lease} and the next tick elsewhere takes over. No advisory lock, no
 * long transaction: it works behind PgBouncer in transaction mode.
 *
 * <p>What goes is each owning feature's decision: every {@link ExpiredRows} bean deletes one batch of its own
 * table (features talk through their own code, never through each other's tables); this job holds the lease, fixes
 * the cutoffs from {@link RetentionConfig}, loops while batches come back full, counts and logs.
 */
@ApplicationScoped
public class PurgeJob {

    static final String LEASE = "purge";
    private static final Logger LOG = Logger.getLogger(PurgeJob.class);

    private final Instance<ExpiredRows> tables;
    private final JobLeases leases;
    private final RetentionConfig retention;
    private final MeterRegistry registry;
    private final Clock clock;
    private final String replica = ManagementFactory.getRuntimeMXBean().getName();

    public PurgeJob(Instance<ExpiredRows> tables, JobLeases leases, RetentionConfig retention, MeterRegistry registry,
            Clock clock) {
        this.tables = tables;
        this.leases = leases;
        this.retention = retention;
        this.registry = registry;
        this.clock = clock;
    }

    /** Rows deleted per table by one run, in the order the run went through them (by table name). */
    public record PurgeReport(String holder, Map<String, Long> purged, Duration took, boolean leaseLost) {
    }

    @Scheduled(identity = "purge", every = "${lti.retention.every:10m}", delayed = "${lti.retention.every:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            run();
        } catch (RuntimeException e) {
            // the lease was released (or runs out); a later tick here or on another replica starts again
            LOG.warnf(e, "purge failed; the next run is due after lti.retention.every");
        }
    }

    /** One purge if this caller wins the lease; empty when another run holds it or ran within the interval. */
    public Optional<PurgeReport> run() {
        String holder = replica + "/" + UUID.randomUUID().toString().substring(0, 8);
        Instant started = clock.instant();
        if (!leases.claim(LEASE, holder, started, started.plus(retention.lease()))) {
            return Optional.empty();
        }
        Map<String, Long> purged = new LinkedHashMap<>();
        boolean leaseLost = false;
        try {
            ExpiredRows.Cutoffs cutoffs = cutoffs(started);
            for (ExpiredRows table : ordered()) {
                long total = 0;
                int deleted;
                do {
                    deleted = table.deleteBatch(cutoffs, retention.batchSize());
                    total += deleted;
                    leaseLost = !leases.renew(LEASE, holder, clock.instant().plus(retention.lease()));
                } while (deleted >= retention.batchSize() && !leaseLost);
                purged.merge(table.table(), total, Long::sum);
                if (total > 0) {
                    registry.counter("lti.retention.purged", "table", table.table()).increment(total);
                }
                if (leaseLost) {
                    break;
                }
            }
        } finally {
            if (!leaseLost) {
                Instant now = clock.instant();
                // a tenth of the interval early: this replica's next tick comes one interval after the tick that
                // started this run, a few milliseconds before started + every, and must find the lease free
                Instant next = started.plus(retention.every()).minus(retention.every().dividedBy(10));
                leases.release(LEASE, holder, next.isAfter(now) ? next : now);
            }
        }
        PurgeReport report = new PurgeReport(holder, purged, Duration.between(started, clock.instant()), leaseLost);
        String counts = purged.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        if (leaseLost) {
            LOG.warnf("purge stopped: lease taken over by another replica (this run held it longer than "
                    + "lti.retention.lease without renewing) took=%dms %s", report.took().toMillis(), counts);
        } else {
            LOG.infof("purge took=%dms %s", report.took().toMillis(), counts);
        }
        return Optional.of(report);
    }

    /** Cutoffs fixed at the start: rows becoming old during the run wait for the next one, so each loop ends. */
    private ExpiredRows.Cutoffs cutoffs(Instant now) {
        return new ExpiredRows.Cutoffs(now, now.minus(retention.sentScores()), now.minus(retention.syncRuns()),
                Math.max(1, retention.syncRunsKept()), now.minus(retention.spentLinks()),
                now.minus(retention.launchCounts()));
    }

    /** Every feature's expired rows, by table name, so the log line reads the same on every run and replica. */
    private List<ExpiredRows> ordered() {
        return tables.stream().sorted(Comparator.comparing(ExpiredRows::table)).toList();
    }
}
