package org.ltipublisher.sync;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The last run of one kind of sync for a resource, and when the next is due; {@code counts} is a JSON
 * object; {@code intervalMinutes} is this resource's override of the service-wide interval, if any.
 */
@RegisterForReflection
public record SyncRunView(String kind, UUID runId, Instant startedAt, Instant finishedAt, String result,
        @JsonRawValue String counts, String message, Instant nextRunAt, String runningOn,
        Integer intervalMinutes) {
}
