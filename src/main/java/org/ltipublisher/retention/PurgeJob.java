package org.ltipublisher.retention;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.console.ConsoleConfig;
import org.ltipublisher.db.JobLeases;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the tables that grow with launches, grades and syncs bounded (issue 15): every replica ticks, the one
 * that claims the {@code purge} lease deletes what is past its use in batches, and keeps the lease until the next
 * interval, so the replicas together purge once per interval. A replica that dies mid-run stops renewing; its
 * lease runs out after {@code lti.retention.lease} and the next tick elsewhere takes over. No advisory lock, no
 * long transaction: it works behind PgBouncer in transaction mode.
 */
@ApplicationScoped
public class PurgeJob {

    static final String LEASE = "purge";
    private static final Logger LOG = Logger.getLogger(PurgeJob.class);

    private final PurgeStore store;
    private final JobLeases leases;
    private final RetentionConfig retention;
    private final LtiConfig lti;
    private final ConsoleConfig console;
    private final MeterRegistry registry;
    private final Clock clock;
    private final String replica = ManagementFactory.getRuntimeMXBean().getName();

    public PurgeJob(PurgeStore store, JobLeases leases, RetentionConfig retention, LtiConfig lti, ConsoleConfig console,
            MeterRegistry registry, Clock clock) {
        this.store = store;
        this.leases = leases;
        this.retention = retention;
        this.lti = lti;
        this.console = console;
        this.registry = registry;
        this.clock = clock;
    }

    /** Rows deleted per table by one run, in the order the run went through them. */
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
            for (Step step : steps(started)) {
                long total = 0;
                int deleted;
                do {
                    deleted = step.batch().applyAsInt(retention.batchSize());
                    total += deleted;
                    leaseLost = !leases.renew(LEASE, holder, clock.instant().plus(retention.lease()));
                } while (deleted >= retention.batchSize() && !leaseLost);
                purged.put(step.table(), total);
                if (total > 0) {
                    registry.counter("lti.retention.purged", "table", step.table()).increment(total);
                }
                if (leaseLost) {
                    break;
                }
            }
        } finally {
            if (!leaseLost) {
                Instant now = clock.instant();
                Instant next = started.plus(retention.every());
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

    private record Step(String table, IntUnaryOperator batch) {
    }

    /** Cutoffs fixed at the start: rows becoming old during the run wait for the next one, so each loop ends. */
    private List<Step> steps(Instant now) {
        Instant scores = now.minus(retention.sentScores());
        Instant syncRuns = now.minus(retention.syncRuns());
        int kept = Math.max(1, retention.syncRunsKept());
        Instant spentLinks = now.minus(retention.spentLinks());
        Instant idleSince = now.minus(console.sessionIdleTimeout());
        Instant failureWindows = now.minus(lti.accounts().signInWindow());
        return List.of(
                new Step("lti_nonce", limit -> store.idTokenNonces(now, limit)),
                new Step("lti11_nonce", limit -> store.oauthNonces(now, limit)),
                new Step("score", limit -> store.deliveredScores(scores, limit)),
                new Step("sync_run", limit -> store.syncRuns(syncRuns, kept, limit)),
                new Step("registration_url", limit -> store.registrationUrls(spentLinks, limit)),
                new Step("tool_session", limit -> store.toolSessions(now, limit)),
                new Step("console_session", limit -> store.consoleSessions(now, idleSince, limit)),
                new Step("sign_in_failure", limit -> store.signInFailures(failureWindows, limit)),
                new Step("console_setup_link", limit -> store.consoleSetupLinks(spentLinks)));
    }
}
