package org.ltipublisher.launch;

import java.util.List;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.lti.ClaimValues;

/**
 * An id_token that passed the checks every LTI message shares (Security Framework §5.1.3, LTI Core §5.3):
 * signature, issuer, audience, times, nonce matching the login, version, message type present, deployment,
 * user, roles and target_link_uri. The claims of its message type are for that type's {@link MessageHandler}.
 */
public record VerifiedIdToken(String issuer, String clientId, String nonce, long expiresAt, String messageType,
        String deploymentId, String targetLinkUri, PlatformIdentity user, List<String> roles, JwtClaims claims) {

    /** A claim that should be a JSON object, or null. */
    public Map<?, ?> object(String claim) {
        return ClaimValues.object(claims.getClaimValue(claim));
    }
}
