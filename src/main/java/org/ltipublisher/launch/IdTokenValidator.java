package org.ltipublisher.launch;


import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.lti.ClaimValues;
import org.ltipublisher.lti.LtiClaims;
import org.ltipublisher.registration.Registration;
import org.ltipublisher.web.Rejection;

/**
 * Validates the id_token of a launch to the letter of the 1EdTech Security Framework §5.1.3
 * (and OIDC Core §3.1.3.7), then the LTI claims LTI Core §5.3 requires of every message type; the claims of
 * one message type are its {@link MessageHandler}'s. The nonce is only compared with the login's here;
 * {@code NonceStore} spends it. Each failure is a {@link Rejection}
 * with a stable code and a message naming the offending value. Nothing here touches the database.
 */
@ApplicationScoped
public class IdTokenValidator {

    /** Security Framework §5.1.3 step 4 / §6.1: asymmetric signatures only; never "none", never HS*. */
    private static final AlgorithmConstraints RS256_ONLY = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256);

    private final PlatformKeySets keySets;
    private final LtiConfig config;
    private final Clock clock;

    public IdTokenValidator(PlatformKeySets keySets, LtiConfig config, Clock clock) {
        this.keySets = keySets;
        this.config = config;
        this.clock = clock;
    }

    public VerifiedIdToken validate(String idToken, Registration registration, LoginState state) {
        JwtClaims claims = verifiedClaims(idToken, registration);
        try {
            checkIssuerAndAudience(claims, registration);
            checkTimes(claims);
            String nonce = claims.getStringClaimValue("nonce");
            if (nonce == null || nonce.isBlank()) {
                throw bad("missing_nonce", "the id_token has no nonce");
            }
            if (!nonce.equals(state.nonce())) {
                throw bad("nonce_mismatch", "the id_token's nonce is not the one this tool sent for this login");
            }
            return commonClaims(claims, registration, state, nonce);
        } catch (MalformedClaimException e) {
            throw bad("invalid_claim", "the id_token has a claim of the wrong type: " + e.getMessage());
        }
    }

    /** Steps 1–4: a JWS signed with RS256 by a key the platform publishes under the header's kid. */
    private JwtClaims verifiedClaims(String idToken, Registration registration) {
        if (idToken == null || idToken.isBlank()) {
            throw bad("missing_id_token", "the launch carried no id_token");
        }
        JsonWebStructure structure;
        try {
            structure = JsonWebStructure.fromCompactSerialization(idToken.trim());
        } catch (JoseException e) {
            throw bad("malformed_id_token", "the id_token is not a JWT: " + e.getMessage());
        }
        if (!(structure instanceof JsonWebSignature jws)) {
            throw bad("malformed_id_token", "the id_token must be a signed JWT (JWS), not an encrypted one");
        }
        String alg = jws.getAlgorithmHeaderValue();
        // Security Framework §5.1.3 step 4 / §6.1: asymmetric signatures only; never "none", never HS*
        if (!AlgorithmIdentifiers.RSA_USING_SHA256.equals(alg)) {
            throw bad("unsupported_alg", "the id_token is signed with '" + alg + "'; only RS256 is accepted");
        }
        String kid = jws.getKeyIdHeaderValue();
        if (kid == null || kid.isBlank()) {
            throw bad("missing_kid", "the id_token header has no kid, so the platform key cannot be chosen");
        }
        Key key = keySets.key(registration, kid);
        if (!(key instanceof RSAPublicKey)) {
            throw new Rejection(401, "wrong_key_type", "the platform key '" + kid + "' is not an RSA key, as RS256 needs");
        }
        try {
            return signedClaims(jws, key).orElseThrow(() -> new Rejection(401, "bad_signature",
                    "the id_token's signature does not match the platform key '" + kid + "'"));
        } catch (JoseException e) {
            throw new Rejection(401, "bad_signature", "the id_token's signature cannot be verified: " + e.getMessage());
        } catch (InvalidJwtException e) {
            throw bad("malformed_id_token", "the id_token's payload is not a JSON object");
        }
    }

    /**
     * Step 3: the JWS's signature checked with the platform's key, RS256 only; its claims when it matches, empty
     * when not ({@link LaunchWarmUp} runs it too, with the tool's own key).
     */
    static Optional<JwtClaims> signedClaims(JsonWebSignature jws, Key key) throws JoseException, InvalidJwtException {
        jws.setAlgorithmConstraints(RS256_ONLY);
        jws.setKey(key);
        return jws.verifySignature() ? Optional.of(JwtClaims.parse(jws.getPayload())) : Optional.empty();
    }

    /** Steps 2, 5–7: issuer exactly the registered one; our client id in aud; azp when several audiences. */
    private static void checkIssuerAndAudience(JwtClaims claims, Registration registration) throws MalformedClaimException {
        String iss = claims.getIssuer();
        if (iss == null) {
            throw bad("missing_iss", "the id_token has no iss claim");
        }
        if (!iss.equals(registration.issuer)) {
            throw bad("issuer_mismatch", "the id_token's issuer '" + iss + "' is not the registered platform '"
                    + registration.issuer + "'");
        }
        List<String> aud = claims.hasAudience() ? claims.getAudience() : List.of();
        if (aud.isEmpty()) {
            throw bad("missing_aud", "the id_token has no aud claim");
        }
        if (!aud.contains(registration.clientId)) {
            throw bad("audience_mismatch", "the id_token is for audience " + aud + ", not this tool's client id '"
                    + registration.clientId + "'");
        }
        String azp = claims.getStringClaimValue("azp");
        if (azp == null && aud.size() > 1) {
            throw bad("missing_azp", "the id_token names several audiences " + aud + " but no azp");
        }
        if (azp != null && !azp.equals(registration.clientId)) {
            throw bad("azp_mismatch", "the id_token's authorized party (azp) '" + azp + "' is not this tool's client id '"
                    + registration.clientId + "'");
        }
    }

    /** Step 8: exp in the future, iat and nbf not in the future, all within the configured skew. */
    private void checkTimes(JwtClaims claims) throws MalformedClaimException {
        long now = clock.millis() / 1000;
        long skew = config.launch().clockSkew().toSeconds();
        if (claims.getExpirationTime() == null) {
            throw bad("missing_exp", "the id_token has no exp claim");
        }
        if (claims.getIssuedAt() == null) {
            throw bad("missing_iat", "the id_token has no iat claim");
        }
        long exp = claims.getExpirationTime().getValue();
        long iat = claims.getIssuedAt().getValue();
        if (exp + skew <= now) {
            throw bad("token_expired", "the id_token expired " + ago(now - exp) + " ago");
        }
        if (iat - skew > now) {
            throw bad("token_issued_in_future", "the id_token was issued " + ago(iat - now)
                    + " in the future (iat): check the platform's clock");
        }
        long maxAge = config.launch().maxIdTokenAge().toSeconds();
        if (now - iat > maxAge + skew) {
            throw bad("token_too_old", "the id_token was issued " + ago(now - iat) + " ago; at most "
                    + ago(maxAge) + " is accepted");
        }
        // RFC 7519 §4.1.5: a token must not be accepted before its nbf (optional, with the same skew)
        if (claims.getNotBefore() != null) {
            long nbf = claims.getNotBefore().getValue();
            if (nbf - skew > now) {
                throw bad("token_not_yet_valid", "the id_token is not valid until " + ago(nbf - now)
                        + " from now (nbf): check the platform's clock");
            }
        }
    }

    /**
     * Step 10 and the claims LTI Core §5.3 requires of every message: version, message type, deployment,
     * user, roles, target_link_uri. Type-specific claims are the message handler's.
     */
    private static VerifiedIdToken commonClaims(JwtClaims claims, Registration registration, LoginState state,
            String nonce) throws MalformedClaimException {
        Object version = claims.getClaimValue(LtiClaims.VERSION);
        if (version == null) {
            throw bad("missing_version", "the id_token has no LTI version claim");
        }
        if (!LtiClaims.LTI_VERSION.equals(version)) {
            throw bad("wrong_version", "the LTI version is '" + version + "'; this tool speaks " + LtiClaims.LTI_VERSION);
        }
        Object messageType = claims.getClaimValue(LtiClaims.MESSAGE_TYPE);
        if (messageType == null) {
            throw bad("missing_message_type", "the id_token has no LTI message_type claim");
        }
        String deploymentId = text(claims.getClaimValue(LtiClaims.DEPLOYMENT_ID));
        if (deploymentId == null) {
            throw bad("missing_deployment_id", "the id_token has no deployment_id claim");
        }
        if (deploymentId.length() > 255) {
            throw bad("invalid_deployment_id", "the deployment_id is longer than 255 characters");
        }
        if (state.deploymentHint() != null && !state.deploymentHint().equals(deploymentId)) {
            throw bad("deployment_mismatch", "the id_token's deployment '" + deploymentId
                    + "' differs from the login request's lti_deployment_id '" + state.deploymentHint() + "'");
        }
        String sub = text(claims.getClaimValue("sub"));
        if (sub == null) {
            throw bad("missing_sub", "the id_token has no sub (user) claim; anonymous launches are not accepted");
        }
        Object roles = claims.getClaimValue(LtiClaims.ROLES);
        if (roles == null) {
            throw bad("missing_roles", "the id_token has no roles claim (it may be empty, but must be present)");
        }
        // Core §5.3.7: roles is an array of URI strings; a lone string is a platform bug worth naming
        if (!(roles instanceof List<?> roleList) || roleList.stream().anyMatch(r -> !(r instanceof String))) {
            throw bad("invalid_roles", "the roles claim must be an array of strings, got " + jsonType(roles));
        }
        String target = text(claims.getClaimValue(LtiClaims.TARGET_LINK_URI));
        if (target == null) {
            throw bad("missing_target_link_uri", "the id_token has no target_link_uri claim");
        }
        if (!target.equals(state.targetLinkUri())) {
            throw bad("target_mismatch", "the id_token's target_link_uri '" + target
                    + "' is not the one the login was for ('" + state.targetLinkUri() + "')");
        }
        return new VerifiedIdToken(registration.issuer, registration.clientId, nonce,
                claims.getExpirationTime().getValue(), messageType.toString(), deploymentId, target,
                identity(claims, registration.issuer, sub), ClaimValues.strings(roleList), claims);
    }

    private static PlatformIdentity identity(JwtClaims claims, String issuer, String sub) {
        return new PlatformIdentity(issuer, sub, text(claims.getClaimValue("email")),
                text(claims.getClaimValue("given_name")), text(claims.getClaimValue("family_name")),
                text(claims.getClaimValue("name")));
    }

    private static String text(Object value) {
        return ClaimValues.text(value);
    }

    /** How a claim value reads in JSON terms, for messages naming the wrong type. */
    private static String jsonType(Object value) {
        return switch (value) {
            case String ignored -> "a string";
            case Number ignored -> "a number";
            case Boolean ignored -> "a boolean";
            case Map<?, ?> ignored -> "an object";
            case List<?> list -> "an array containing " + list.stream().filter(v -> !(v instanceof String))
                    .findFirst().map(v -> v == null ? "null" : jsonType(v)).orElse("strings");
            default -> "a value of type " + value.getClass().getSimpleName();
        };
    }

    static String ago(long seconds) {
        if (seconds < 120) {
            return seconds + (seconds == 1 ? " second" : " seconds");
        }
        if (seconds < 2 * 3600) {
            return (seconds / 60) + " minutes";
        }
        return (seconds / 3600) + " hours";
    }

    private static Rejection bad(String code, String message) {
        return Rejection.badRequest(code, message);
    }
}
