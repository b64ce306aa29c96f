package org.ltipublisher.legacy;

import java.util.List;

import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.legacy.ConsumerService.ConsumerCredentials;

/** A basic-lti-launch-request whose OAuth 1.0a signature verified, its parameters typed (LTI 1.1 §B). */
public record Lti11Launch(
        ConsumerCredentials consumer,
        String oauthNonce,
        long oauthTimestamp,
        String instanceGuid,
        String resourceLinkId,
        String resourceLinkTitle,
        PlatformIdentity user,
        List<String> roles,
        String contextId,
        String contextLabel,
        String contextTitle,
        List<String> contextTypes,
        String outcomeServiceUrl,
        String resultSourcedId,
        String returnUrl) {
}
