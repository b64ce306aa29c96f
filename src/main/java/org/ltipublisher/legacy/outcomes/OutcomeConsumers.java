package org.ltipublisher.legacy.outcomes;

import java.util.Optional;
import java.util.UUID;

/**
 * What Basic Outcomes needs to know of an LTI 1.1 consumer: the key and secret that sign the POX
 * request (LTI 1.1 Implementation Guide §6, OAuth body hash). Implemented by the consumer admin in
 * {@code legacy}, so this package does not depend on it.
 */
public interface OutcomeConsumers {

    /** The consumer's key and plaintext secret, if it still exists. */
    record OutcomeConsumer(UUID id, String consumerKey, String secret) {
    }

    Optional<OutcomeConsumer> outcomeConsumer(UUID consumerId);
}
