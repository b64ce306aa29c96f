package org.ltipublisher.grades;

/** Where a score is in the outbox. */
public enum ScoreStatus {
    /** Waiting to be sent (or to be retried after a temporary failure). */
    PENDING,
    /** The platform accepted it. */
    SENT,
    /** The platform refused it for good (e.g. the user cannot be graded); replayable. */
    FAILED,
    /** A newer grade of the same user and aggregated resource replaced it before it was sent. */
    SUPERSEDED
}
