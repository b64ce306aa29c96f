package org.ltipublisher.registration;

import java.util.Optional;
import java.util.UUID;

/**
 * A platform updating its LTI 1.1 tool through dynamic registration (Moodle's upgrade route) proves it holds the
 * 1.1 consumer's secret; the LTI 1.1 upgrade feature checks that proof and links the consumer. Declared here, where
 * dynamic registration asks, and answered by that feature, so registration imports no feature above it.
 */
public interface Lti11ToolUpdate {

    /** A verified update: the consumer, and the target_link_uri to register (null: the tool's launch URL). */
    record Upgrade(UUID consumerId, String consumerName, String targetLinkUri) {
    }

    /** Before anything is registered; refuses (a Rejection) an unproven update. Empty: not an LTI 1.1 tool. */
    Optional<Upgrade> verify(ExistingTool existing, String baseUrl, UUID registrationId);

    /** In the registration's transaction, after its deployment is written. */
    void linkRegistered(Upgrade upgrade, UUID registrationId, UUID deploymentRowId, String deploymentId);
}
