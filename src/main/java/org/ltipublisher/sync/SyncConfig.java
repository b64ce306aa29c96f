package org.ltipublisher.sync;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Scheduled per-resource sync runs ({@code lti.sync.*}). */
@ConfigMapping(prefix = "lti.sync")
public interface SyncConfig {

    /** How often each replica looks for due sync runs (the @Scheduled tick reads lti.sync.tick). */
    @WithDefault("1m")
    Duration tick();

    /** A run not finished by then is another replica's to take (its replica is presumed dead). */
    @WithDefault("30m")
    Duration lease();
}
