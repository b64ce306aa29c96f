package org.ltipublisher.sync;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** When a resource's grade or member sync runs next; {@code runningOn} names the replica running it now. */
@RegisterForReflection
public record UpcomingSync(UUID resourceId, String resourceTitle, String kind, Instant nextRunAt, String runningOn) {
}
