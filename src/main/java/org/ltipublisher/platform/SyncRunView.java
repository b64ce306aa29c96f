package org.ltipublisher.platform;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The last run of one kind of sync for a resource, and when the next is due. */
@RegisterForReflection
public record SyncRunView(String kind, UUID runId, Instant startedAt, Instant finishedAt, String result,
        String counts, String message, Instant nextRunAt, String runningOn) {
}
