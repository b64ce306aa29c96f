package org.ltipublisher.db;

import java.time.Instant;

/**
 * One table's rows that are past their use, deleted by the feature that owns the table: each feature implements
 * this next to its store, and the leased purge job ({@code retention.PurgeJob}) finds every implementation through
 * CDI, holds the lease, loops over the batches and counts them. It lives here, below every feature, so that a
 * feature need not import the job (which imports the features).
 */
public interface ExpiredRows {

    /**
     * What one purge run deletes up to, fixed when the run starts, so each table's loop ends (rows becoming old
     * during the run wait for the next one). {@code now} is the run's start; the others follow from the
     * {@code lti.retention.*} settings, for the rows whose end is an administrator's choice. Rows whose end follows
     * from a feature's own security setting (a session's idle timeout, the sign-in window) are cut off by the
     * feature from {@code now} and its own configuration.
     *
     * @param sentScoresBefore sent or superseded scores recorded before this may go ({@code sent-scores})
     * @param syncRunsBefore sync runs started before this may go ({@code sync-runs})...
     * @param syncRunsKept ...except the newest this many of each resource and kind ({@code sync-runs-kept}, at least 1)
     * @param spentLinksBefore registration URLs and setup links expired or used before this may go ({@code spent-links})
     * @param launchCountsBefore hourly launch counts of hours before this may go ({@code launch-counts})
     */
    record Cutoffs(Instant now, Instant sentScoresBefore, Instant syncRunsBefore, int syncRunsKept,
            Instant spentLinksBefore, Instant launchCountsBefore) {
    }

    /** The table whose rows {@link #deleteBatch} deletes: the purge's log line and metric tag name it. */
    String table();

    /**
     * Deletes at most {@code limit} rows past their use as of {@code cutoffs}, in one autocommitted statement (a
     * short transaction that holds few row locks and leaves little for VACUUM at a time), and returns how many.
     * The job calls it again while a batch comes back full. The rows are chosen by primary key in an inner select
     * that an index serves; the outer WHERE repeats the condition, so a row a concurrent statement changed
     * meanwhile (a renewed setup link, a score being sent) is re-checked on its new version and kept.
     */
    int deleteBatch(Cutoffs cutoffs, int limit);
}
