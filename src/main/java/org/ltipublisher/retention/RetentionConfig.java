package org.ltipublisher.retention;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long rows that have served their purpose are kept ({@code lti.retention.*}), and how the purge job runs.
 * Rows whose end follows from a security setting are not configured here, since purging them earlier would
 * weaken that setting and later only holds dead rows: id_token and OAuth nonces go once their token would be
 * refused as expired anyway (their {@code expires_at}, from {@code lti.launch.max-id-token-age},
 * {@code lti.launch.clock-skew} and {@code lti.legacy.timestamp-window}), sessions once they have expired
 * ({@code lti.accounts.session-ttl}, {@code lti.console.session-idle-timeout}), sign-in failures once their window
 * has run out ({@code lti.accounts.sign-in-window}).
 */
@ConfigMapping(prefix = "lti.retention")
public interface RetentionConfig {

    /** How often the purge runs, on whichever replica holds the lease (the @Scheduled tick reads it too). */
    @WithDefault("10m")
    Duration every();

    /** Rows deleted per statement; each statement is its own short transaction. */
    @WithDefault("5000")
    int batchSize();

    /** A purge that has not renewed its lease for this long is presumed dead, and another replica takes over. */
    @WithDefault("2m")
    Duration lease();

    /**
     * Scores the platform has accepted (sent) or that a newer grade replaced before sending (superseded) are
     * kept this long after they were recorded. The newest sent score of each learner and link stays whatever its
     * age: grade sync compares with it and AGS timestamps must keep increasing after it.
     */
    @WithDefault("90d")
    Duration sentScores();

    /** Sync runs older than this go, except the newest {@link #syncRunsKept()} of each resource and kind. */
    @WithDefault("30d")
    Duration syncRuns();

    /** Sync runs of each resource and kind kept however old (the admin API and instructor view show the latest). */
    @WithDefault("20")
    int syncRunsKept();

    /**
     * Dynamic registration URLs and the console's setup link stay this long after they expired or were used, so
     * an administrator opening an old one still gets "used" or "expired" rather than "unknown" for a while.
     */
    @WithDefault("7d")
    Duration spentLinks();

    /** Hourly launch counts (the console dashboard shows the last 24 h) are kept this long. */
    @WithDefault("30d")
    Duration launchCounts();
}
