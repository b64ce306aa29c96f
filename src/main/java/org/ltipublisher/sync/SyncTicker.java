package org.ltipublisher.sync;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Every replica's one sync tick: for each kind of {@link SyncWork}, claim a due resource, run it,
 * record the outcome, repeat until nothing is due. The claim ({@code FOR UPDATE SKIP LOCKED} plus a
 * lease, see {@link SyncScheduleStore}) spreads runs over the replicas and never gives one run to two.
 */
@ApplicationScoped
public class SyncTicker {

    private static final Logger LOG = Logger.getLogger(SyncTicker.class);

    private final SyncScheduleStore schedules;
    private final Instance<SyncWork> works;
    private final Clock clock;
    private final String replica = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);

    public SyncTicker(SyncScheduleStore schedules, Instance<SyncWork> works, Clock clock) {
        this.schedules = schedules;
        this.works = works;
        this.clock = clock;
    }

    @Scheduled(identity = "sync", every = "${lti.sync.tick:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        for (SyncWork work : works) {
            drain(work);
        }
    }

    /**
     * "Run now" on this replica: a claim attempt for this kind at once on a worker thread, rather than at
     * the next tick (the row is due for every replica's tick too, so nothing is lost if this one stops).
     */
    public void runSoon(SyncKind kind) {
        for (SyncWork work : works) {
            if (work.kind() == kind) {
                Infrastructure.getDefaultWorkerPool().execute(() -> {
                    // what the scheduler gives a tick: a request context for the work's entity reads
                    ManagedContext requests = Arc.container().requestContext();
                    requests.activate();
                    try {
                        drain(work);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "%s sync requested now failed to claim; the next tick will", kind);
                    } finally {
                        requests.terminate();
                    }
                });
            }
        }
    }

    /** Runs every due sync of this kind; returns how many ran. */
    int drain(SyncWork work) {
        String owner = replica + "/" + work.kind().name().toLowerCase();
        int ran = 0;
        Optional<SyncWork.Claim> claim;
        while ((claim = schedules.claimNext(work.kind(), owner, work.interval())).isPresent()) {
            Instant started = clock.instant();
            SyncWork.Outcome outcome;
            try {
                outcome = work.run(claim.get());
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s sync of resource %s crashed", work.kind(), claim.get().resourceId());
                outcome = new SyncWork.Outcome("FAILED", null, "internal error: " + e);
            }
            schedules.finish(claim.get(), outcome.result(), outcome.counts(), outcome.message(), work.interval());
            work.finished(outcome.result(), Duration.between(started, clock.instant()));
            ran++;
        }
        return ran;
    }
}
