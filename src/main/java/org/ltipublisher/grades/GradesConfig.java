package org.ltipublisher.grades;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Score outbox and grade sync settings ({@code lti.grades.*}). */
@ConfigMapping(prefix = "lti.grades")
public interface GradesConfig {

    /** Unit and course grades are sent this long after their last change (Open edX: 15 minutes). */
    @WithDefault("15m")
    Duration aggregationDelay();

    /** How often the grade sync re-sends changed grades of resources with grade sync on (Moodle: 30 minutes). */
    @WithDefault("30m")
    Duration syncInterval();

    /** How often each replica looks for due scores (the @Scheduled tick reads lti.grades.outbox-tick). */
    @WithDefault("1s")
    Duration outboxTick();

    /** Scores one claim takes at most. */
    @WithDefault("100")
    int batchSize();

    /** Scores one replica sends at once (each platform is further bounded by lti.platform.max-concurrent-per-platform). */
    @WithDefault("8")
    int workers();

    /**
     * Scores of one platform (registration or LTI 1.1 consumer) in flight at once on one replica; below
     * {@code workers}, so a platform that hangs until its deadlines leaves senders for the others.
     */
    @WithDefault("4")
    int perPlatformDeliveries();

    /** A claimed score is another replica's to take if not settled by then (must exceed the longest call). */
    @WithDefault("5m")
    Duration lease();

    /** First back-off after a retryable failure; doubles with each attempt. */
    @WithDefault("30s")
    Duration retryBase();

    @WithDefault("1h")
    Duration retryMax();
}
