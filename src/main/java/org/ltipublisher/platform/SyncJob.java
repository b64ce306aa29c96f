package org.ltipublisher.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * The loop every replica's scheduler tick runs for one kind of sync: claim a due resource, run it,
 * record the outcome, repeat until nothing is due. Runs are spread over replicas by the claim.
 */
public final class SyncJob {

    private static final Logger LOG = Logger.getLogger(SyncJob.class);

    /** What a run reports. */
    public record Outcome(String result, String counts, String message) {
    }

    /** One run of the sync for a claimed resource. */
    @FunctionalInterface
    public interface Runner {
        Outcome run(SyncSchedules.Claim claim);
    }

    /** Observes a finished run (metrics). */
    @FunctionalInterface
    public interface Observer {
        void finished(String result, Duration took);
    }

    private SyncJob() {
    }

    /** Runs every due sync of this kind; returns how many ran. */
    public static int drain(SyncSchedules schedules, SyncKind kind, String owner, Duration interval, Runner runner,
            Observer observer, Clock clock) {
        int ran = 0;
        Optional<SyncSchedules.Claim> claim;
        while ((claim = schedules.claimNext(kind, owner, interval)).isPresent()) {
            Instant started = clock.instant();
            Outcome outcome;
            try {
                outcome = runner.run(claim.get());
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s sync of resource %s crashed", kind, claim.get().resourceId());
                outcome = new Outcome("FAILED", null, "internal error: " + e);
            }
            schedules.finish(claim.get(), outcome.result(), outcome.counts(), outcome.message(), interval);
            observer.finished(outcome.result(), Duration.between(started, clock.instant()));
            ran++;
        }
        return ran;
    }
}
