package org.ltipublisher.deeplinking;

import org.ltipublisher.launch.VerifiedIdToken;
import org.ltipublisher.lti.LtiClaims;

/** An LtiDeepLinkingRequest's own claims (Deep Linking 2.0 §4.4): no resource link, but its settings. */
public record DeepLinkingRequest(VerifiedIdToken token, DeepLinkingSettings settings) {

    public static DeepLinkingRequest of(VerifiedIdToken token) {
        return new DeepLinkingRequest(token, DeepLinkingSettings.of(token.object(LtiClaims.DEEP_LINKING_SETTINGS)));
    }
}
