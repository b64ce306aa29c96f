package org.ltipublisher.sync;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A sync run that ended failed or partial, with the reasons it recorded (per context for member syncs). */
@RegisterForReflection
public record FailedSyncRun(UUID resourceId, String resourceTitle, String kind, String result, Instant finishedAt,
        String message) {
}
