package org.ltipublisher.instructor;

import java.util.List;
import java.util.UUID;

/** What the instructor view shows for the link and context of one instructor launch. */
public record InstructorView(UUID resourceId, String resourceTitle, String contextLabel, String launchToken,
        List<LearnerRow> learners, List<SyncLine> syncs, int failed, String message) {

    /** One learner: who, through which platform or consumer, and their grade on each graded node. */
    public record LearnerRow(String name, String username, String platformUserId, String role, String status,
            String enrolledBy, String platform, List<GradeLine> grades) {
    }

    /** A grade on one node and how its delivery went: sent, pending, failed (with the platform's reason). */
    public record GradeLine(String node, String score, String delivery, String reason, String scoredAt,
            String sentAt, int attempts) {
    }

    /** The last run of a sync (grades or members) and the next one. */
    public record SyncLine(String kind, String lastRun, String result, String message, String nextRun) {
    }
}
