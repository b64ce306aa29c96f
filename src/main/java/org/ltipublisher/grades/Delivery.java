package org.ltipublisher.grades;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.ltipublisher.platform.PlatformTarget;

/** A claimed score with everything its delivery needs: the score, the user's sub, the link, the platform. */
record Delivery(UUID scoreId, BigDecimal scoreGiven, BigDecimal scoreMaximum, String comment, String activityProgress,
        String gradingProgress, Instant scoredAt, String userId, int attempts, Instant createdAt, UUID linkRowId,
        String platformLinkId, String lineItemsUrl, String lineItemUrl, String agsScopes, UUID resourceId,
        String resourceTitle, BigDecimal maxGrade, String boundLineItemUrl, PlatformTarget platform) {
}
