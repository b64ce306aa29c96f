package org.ltipublisher.legacy.outcomes;

import java.time.Instant;
import java.util.UUID;

/**
 * Where Basic Outcomes for one LTI 1.1 user on one resource link go: the lis_outcome_service_url and
 * lis_result_sourcedid of their latest launch (LTI 1.1 §6), and the consumer whose secret signs them.
 */
public record OutcomeTarget(UUID id, UUID consumerId, UUID resourceLinkRowId, String ltiUserId, String serviceUrl,
        String sourcedId, Instant updatedAt) {
}
