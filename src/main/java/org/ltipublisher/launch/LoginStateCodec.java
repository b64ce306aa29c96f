package org.ltipublisher.launch;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.keys.TokenPurpose;
import org.ltipublisher.keys.ToolTokens;
import org.ltipublisher.web.Rejection;

/**
 * Signs the OIDC state (HMAC, short expiry) and binds it to the browser with a
 * {@code Secure; HttpOnly; SameSite=None} cookie named after the state, so parallel launches in several
 * frames do not overwrite each other's cookie (digest §13.2).
 */
@ApplicationScoped
public class LoginStateCodec {

    public static final String COOKIE_PREFIX = "lti_state_";

    private final ToolTokens tokens;
    private final LtiConfig config;
    private final SecureRandom random = new SecureRandom();

    public LoginStateCodec(ToolTokens tokens, LtiConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    public LoginState newState(UUID registrationId, String targetLinkUri, String deploymentHint) {
        return new LoginState(randomToken(16), registrationId, randomToken(24), targetLinkUri, deploymentHint);
    }

    public String sign(LoginState state) {
        JwtClaims claims = new JwtClaims();
        claims.setJwtId(state.id());
        claims.setStringClaim("reg", state.registrationId().toString());
        claims.setStringClaim("nonce", state.nonce());
        claims.setStringClaim("target", state.targetLinkUri());
        if (state.deploymentHint() != null) {
            claims.setStringClaim("dep", state.deploymentHint());
        }
        return tokens.sign(TokenPurpose.STATE, claims, config.launch().stateTtl());
    }

    public NewCookie bindingCookie(LoginState state) {
        return new NewCookie.Builder(COOKIE_PREFIX + state.id()).value(state.id()).path("/lti/")
                .maxAge((int) config.launch().stateTtl().toSeconds()).secure(true).httpOnly(true)
                .sameSite(NewCookie.SameSite.NONE).build();
    }

    /** Removes the binding cookie once the launch is done. */
    public NewCookie expiredCookie(LoginState state) {
        return new NewCookie.Builder(COOKIE_PREFIX + state.id()).value("").path("/lti/").maxAge(0).secure(true)
                .httpOnly(true).sameSite(NewCookie.SameSite.NONE).build();
    }

    /**
     * The state, verified: our signature, not expired, and the browser presenting it is the one that
     * started the login. {@code cookieLookup} returns the value of a request cookie by name.
     */
    public LoginState verify(String stateToken, java.util.function.Function<String, String> cookieLookup) {
        if (stateToken == null || stateToken.isBlank()) {
            throw Rejection.badRequest("missing_state", "the launch carried no state parameter");
        }
        JwtClaims claims;
        try {
            claims = tokens.verify(TokenPurpose.STATE, stateToken);
        } catch (ToolTokens.InvalidToolToken e) {
            throw e.expired()
                    ? Rejection.badRequest("state_expired", "the login took longer than "
                            + config.launch().stateTtl().toSeconds() + " s; start the launch again from the platform")
                    : Rejection.badRequest("invalid_state",
                            "the state parameter was not issued by this tool or was altered");
        }
        LoginState state;
        try {
            state = new LoginState(claims.getJwtId(), UUID.fromString(claims.getStringClaimValue("reg")),
                    claims.getStringClaimValue("nonce"), claims.getStringClaimValue("target"),
                    claims.getStringClaimValue("dep"));
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            throw Rejection.badRequest("invalid_state", "the state parameter is incomplete");
        }
        String bound = cookieLookup.apply(COOKIE_PREFIX + state.id());
        if (bound == null || bound.isEmpty()) {
            throw Rejection.badRequest("missing_state_cookie", "this browser did not send the login cookie: the "
                    + "browser may block third-party cookies in the LMS frame; open the activity in a new window");
        }
        if (!bound.equals(state.id())) {
            throw Rejection.badRequest("state_mismatch", "the state does not belong to this browser's login");
        }
        return state;
    }

    private String randomToken(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
