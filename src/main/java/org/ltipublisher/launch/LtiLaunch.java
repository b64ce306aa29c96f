package org.ltipublisher.launch;

import java.util.List;
import java.util.Map;

import org.ltipublisher.accounts.PlatformIdentity;

/** A validated launch's claims, typed (Core §5.3 required, §5.4 optional). */
public record LtiLaunch(
        String issuer,
        String clientId,
        String nonce,
        long expiresAt,
        String messageType,
        String deploymentId,
        String targetLinkUri,
        PlatformIdentity user,
        List<String> roles,
        ResourceLinkClaim resourceLink,
        ContextClaim context,
        Map<String, String> custom,
        AgsClaim ags,
        String membershipsUrl,
        String returnUrl,
        DeepLinkingSettings deepLinking,
        /** The raw lti1p1 migration claim (Core §D / migration guide), null when absent; verified by legacy. */
        Map<String, Object> lti1p1) {

    public boolean isDeepLinking() {
        return deepLinking != null;
    }

    public record ResourceLinkClaim(String id, String title) {
    }

    public record ContextClaim(String id, String label, String title, List<String> types) {
    }

    /**
     * The deep_linking_settings claim of an LtiDeepLinkingRequest (Deep Linking 2.0 §4.4.1).
     * {@code acceptLineItem} is null when the platform did not say.
     */
    public record DeepLinkingSettings(String returnUrl, List<String> acceptTypes,
            List<String> acceptPresentationDocumentTargets, boolean acceptMultiple, Boolean acceptLineItem, String data,
            String title, String text) {
    }

    /** The AGS endpoint claim (AGS §3.1): what the grades work may use for this link. */
    public record AgsClaim(List<String> scope, String lineItems, String lineItem) {
    }
}
