package org.ltipublisher.deeplinking;

import java.util.UUID;


/**
 * A validated deep linking request waiting for the teacher's choice: who asked (registration, deployment),
 * where the answer goes and what it may contain. {@code accountId} is null until the platform user is
 * linked to an account; only a bound selection may list and answer.
 */
public record DeepLinkingSelection(UUID registrationId, String platformIssuer, String clientId, String deploymentId,
        DeepLinkingSettings settings, UUID accountId) {

    public DeepLinkingSelection boundTo(UUID account) {
        return new DeepLinkingSelection(registrationId, platformIssuer, clientId, deploymentId, settings, account);
    }

    /** Deep Linking 2.0 §4.4.1: a line item may be sent unless the platform said accept_lineitem=false. */
    public boolean lineItemsAccepted() {
        return !Boolean.FALSE.equals(settings.acceptLineItem());
    }
}
