package org.ltipublisher.resources;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a node's aggregated grade is reported while some of its graded leaves have no score yet:
 * as a partial grade (AGS §3.4.3 activityProgress InProgress, §3.4.4 gradingProgress Pending), or not at all
 * until every graded leaf has one (Moodle's "completion required before grade sync").
 */
public enum IncompleteGrades {
    SEND_PARTIAL, ONLY_WHEN_COMPLETE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<IncompleteGrades> fromWire(String value) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(value)).findFirst();
    }
}
