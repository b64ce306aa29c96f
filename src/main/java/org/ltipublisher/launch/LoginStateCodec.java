package org.ltipublisher.launch;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Base64;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.keys.TokenPurpose;
import org.ltipublisher.keys.ToolTokens;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.web.Rejection;

/**
 * Signs the OIDC state (HMAC, short expiry) and binds it to the browser with a
 * {@code Secure; HttpOnly; SameSite=None} cookie named after the state, so parallel launches in several
 * frames do not overwrite each other's cookie (OIDC Core §3.1.2.1: state binds the response to the
 * browser's session).
 */
@ApplicationScoped
public class LoginStateCodec {

    public static final String COOKIE_PREFIX = "lti_state_";
    /**
     * The lti_message_hint is kept in the state only up to this length (for the "open in a new window" login).
     * The state travels in the authentication request URL beside the echoed hint itself, so a long hint (the TAO
     * DevKit sends 4 KB and more) copied into it would double a URL that platforms' web servers limit.
     */
    static final int MAX_HINT_IN_STATE = 1024;
    /** Stands for a hint too long to keep: the login cannot be rebuilt, the person relaunches from the course. */
    private static final String HINT_DROPPED = "\u0000lti_message_hint too long to keep";

    private final ToolTokens tokens;
    private final LtiConfig config;
    private final SecureRandom random = new SecureRandom();

    public LoginStateCodec(ToolTokens tokens, LtiConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    /** A new state; {@code storageSecret} non-null when the platform offered postMessage storage. */
    public LoginState newState(UUID registrationId, String targetLinkUri, String deploymentHint, LoginRequest request,
            String storageTarget, String authOrigin, String storageSecret) {
        return new LoginState(randomToken(16), registrationId, randomToken(24), targetLinkUri, deploymentHint,
                request.iss(), request.clientId(), request.loginHint(), request.ltiMessageHint(),
                storageSecret == null ? null
                        : new LoginState.PlatformStorage(storageTarget, authOrigin, sha256(storageSecret)));
    }

    /** A random secret for the platform storage binding (never put into the state itself). */
    public String newStorageSecret() {
        return randomToken(24);
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
        setIfPresent(claims, "iss_p", state.issuer());
        setIfPresent(claims, "client", state.clientId());
        setIfPresent(claims, "lh", state.loginHint());
        if (state.messageHint() != null && state.messageHint().length() > MAX_HINT_IN_STATE) {
            claims.setClaim("lmh_dropped", true);
        } else {
            setIfPresent(claims, "lmh", state.messageHint());
        }
        if (state.storage() != null) {
            claims.setStringClaim("st", state.storage().target());
            claims.setStringClaim("so", state.storage().origin());
            claims.setStringClaim("sh", state.storage().secretSha256());
        }
        return tokens.sign(TokenPurpose.STATE, claims, config.launch().stateTtl());
    }

    /**
     * The binding cookie as a Set-Cookie value: {@code SameSite=None; Secure} to cross sites and
     * {@code Partitioned} (CHIPS, cookies having independent partitioned state) so browsers that partition
     * third-party cookies keep it for the LMS frame. JAX-RS' NewCookie cannot express Partitioned, hence the header.
     */
    public String bindingCookie(LoginState state) {
        return cookie(state.id(), state.id(), config.launch().stateTtl().toSeconds());
    }

    /** Removes the binding cookie once the launch is done (a partitioned cookie is removed as partitioned). */
    public String expiredCookie(LoginState state) {
        return cookie(state.id(), "", 0);
    }

    private static String cookie(String id, String value, long maxAge) {
        return COOKIE_PREFIX + id + "=" + value + "; Path=/lti/; Max-Age=" + maxAge
                + "; Secure; HttpOnly; SameSite=None; Partitioned";
    }

    /**
     * The state, verified: our signature, not expired, and the browser presenting it is the one that
     * started the login. {@code cookieLookup} returns the value of a request cookie by name.
     */
    public LoginState verify(LoginState state, java.util.function.Function<String, String> cookieLookup,
            String storageProof) {
        String bound = cookieLookup.apply(COOKIE_PREFIX + state.id());
        if (bound != null && !bound.isEmpty()) {
            if (!bound.equals(state.id())) {
                throw Rejection.badRequest("state_mismatch", "the state does not belong to this browser's login");
            }
            return state;
        }
        if (state.storage() != null && storageProof != null && !storageProof.isBlank()) {
            // LTI Client Side postMessages (lti.get_data): the secret came back from the platform storage of the browser that began the login
            if (!MessageDigest.isEqual(sha256(storageProof).getBytes(StandardCharsets.US_ASCII),
                    state.storage().secretSha256().getBytes(StandardCharsets.US_ASCII))) {
                throw Rejection.badRequest("state_mismatch", "the platform's storage in this browser does not hold "
                        + "this login's secret (it may not support storage for tools); open the activity in a new window")
                        .withAction("Open in a new window", loginUrl(state));
            }
            return state;
        }
        // The state itself is genuine (read() checked its signature): only the browser binding is absent, which
        // is a browser or timing problem the person can fix, not tampering (1EdTech Security Framework 1.0 §5.1.1).
        throw new Rejection(400, "missing_state_cookie", "This browser did not send the tool's login cookie with "
                + "the launch, so the tool cannot tell that this browser started it. That happens when the browser "
                + "blocks third-party cookies inside the course page, when the launch was opened in another browser "
                + "or window than the one that started it, or when it took longer than "
                + config.launch().stateTtl().toMinutes() + " minutes. Open the activity in a new window, or allow "
                + "cookies for this tool's site in the browser, then start the activity again from the course.")
                .withAction("Open in a new window", loginUrl(state));
    }

    /**
     * The state of a launch that has neither cookie nor storage proof yet but whose login used platform
     * storage: the launch page must read the secret back first. Empty otherwise.
     */
    public boolean awaitsStorageProof(LoginState state, java.util.function.Function<String, String> cookieLookup,
            String storageProof) {
        String bound = cookieLookup.apply(COOKIE_PREFIX + state.id());
        boolean noProof = storageProof == null || storageProof.isBlank();
        return state.storage() != null && (bound == null || bound.isEmpty()) && noProof;
    }

    /** The login initiation again, for a top-level window where cookies are first-party. */
    private static String loginUrl(LoginState state) {
        if (state.issuer() == null || state.loginHint() == null || HINT_DROPPED.equals(state.messageHint())) {
            return null;
        }
        StringBuilder url = new StringBuilder(RegistrationService.LOGIN_PATH).append("?iss=").append(encode(state.issuer()))
                .append("&login_hint=").append(encode(state.loginHint()))
                .append("&target_link_uri=").append(encode(state.targetLinkUri()));
        if (state.messageHint() != null) {
            url.append("&lti_message_hint=").append(encode(state.messageHint()));
        }
        if (state.clientId() != null) {
            url.append("&client_id=").append(encode(state.clientId()));
        }
        if (state.deploymentHint() != null) {
            url.append("&lti_deployment_id=").append(encode(state.deploymentHint()));
        }
        return url.toString();
    }

    /** The state as this tool signed it (signature and expiry checked; the browser binding is {@link #verify}'s). */
    public LoginState read(String stateToken) {
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
        try {
            String storageTarget = claims.getStringClaimValue("st");
            return new LoginState(claims.getJwtId(), UUID.fromString(claims.getStringClaimValue("reg")),
                    claims.getStringClaimValue("nonce"), claims.getStringClaimValue("target"),
                    claims.getStringClaimValue("dep"), claims.getStringClaimValue("iss_p"),
                    claims.getStringClaimValue("client"), claims.getStringClaimValue("lh"),
                    Boolean.TRUE.equals(claims.getClaimValue("lmh_dropped", Boolean.class)) ? HINT_DROPPED
                            : claims.getStringClaimValue("lmh"),
                    storageTarget == null ? null
                            : new LoginState.PlatformStorage(storageTarget, claims.getStringClaimValue("so"),
                                    claims.getStringClaimValue("sh")));
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            throw Rejection.badRequest("invalid_state", "the state parameter is incomplete");
        }
    }

    private static void setIfPresent(JwtClaims claims, String name, String value) {
        if (value != null) {
            claims.setStringClaim(name, value);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomToken(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
