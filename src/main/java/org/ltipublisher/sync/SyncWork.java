package org.ltipublisher.sync;

import java.time.Duration;
import java.util.UUID;

/**
 * One kind of scheduled per-resource sync (grade sync, member sync). Each kind is a CDI bean the
 * {@link SyncTicker} finds; the ticker claims due resources and hands them over one at a time.
 */
public interface SyncWork {

    /** A claimed run: the lease is held by {@code owner} until the run is finished or the lease expires. */
    record Claim(UUID runId, UUID resourceId, SyncKind kind, String owner) {
    }

    /** What a run reports; {@code counts} is a JSON object. */
    record Outcome(String result, String counts, String message) {
    }

    SyncKind kind();

    /** The service-wide interval between two runs for one resource (a resource may override it). */
    Duration interval();

    /** Runs the sync for one claimed resource. */
    Outcome run(Claim claim);

    /** Observes a finished run (metrics). */
    void finished(String result, Duration took);
}
