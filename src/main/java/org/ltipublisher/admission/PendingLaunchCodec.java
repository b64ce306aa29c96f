package org.ltipublisher.admission;


import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.keys.TokenPurpose;
import org.ltipublisher.keys.ToolTokens;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.web.Rejection;

@ApplicationScoped
public class PendingLaunchCodec {

    /** Binds a pending launch to the browser its account choice page was shown in. */
    public static final String BROWSER_BINDING_COOKIE = "lti_publisher_pending";

    private final SecureRandom random = new SecureRandom();

    private final ToolTokens tokens;
    private final LtiConfig config;

    public PendingLaunchCodec(ToolTokens tokens, LtiConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    public String sign(PendingLaunch p) {
        JwtClaims c = new JwtClaims();
        c.setStringClaim("iss_p", p.user().issuer());
        c.setSubject(p.user().subject());
        setIfPresent(c, "email", p.user().email());
        setIfPresent(c, "given_name", p.user().givenName());
        setIfPresent(c, "family_name", p.user().familyName());
        setIfPresent(c, "name", p.user().fullName());
        c.setStringClaim("mode", p.mode().name());
        setIfPresent(c, "resource", p.resourceId() == null ? null : p.resourceId().toString());
        setIfPresent(c, "context", p.contextRowId() == null ? null : p.contextRowId().toString());
        setIfPresent(c, "link", p.resourceLinkRowId() == null ? null : p.resourceLinkRowId().toString());
        setIfPresent(c, "mt", p.messageType());
        setIfPresent(c, "dl", p.continuation());
        setIfPresent(c, "bb", p.browserBinding());
        c.setStringClaim("role_class", p.roleClass().name());
        c.setStringClaim("roles", p.roles());
        return tokens.sign(TokenPurpose.PENDING_LINK, c, config.launch().pendingLinkTtl());
    }

    public PendingLaunch verify(String token) {
        if (token == null || token.isBlank()) {
            throw Rejection.badRequest("missing_pending_launch", "this form lost its launch; start again from the platform");
        }
        try {
            JwtClaims c = tokens.verify(TokenPurpose.PENDING_LINK, token);
            String context = c.getStringClaimValue("context");
            String resource = c.getStringClaimValue("resource");
            String link = c.getStringClaimValue("link");
            String continuation = c.getStringClaimValue("dl");
            if (continuation == null && (resource == null || link == null)) {
                throw new IllegalArgumentException("neither a resource nor a message to continue");
            }
            return new PendingLaunch(
                    new PlatformIdentity(c.getStringClaimValue("iss_p"), c.getSubject(), c.getStringClaimValue("email"),
                            c.getStringClaimValue("given_name"), c.getStringClaimValue("family_name"),
                            c.getStringClaimValue("name")),
                    ProvisioningMode.valueOf(c.getStringClaimValue("mode")),
                    resource == null ? null : UUID.fromString(resource),
                    context == null ? null : UUID.fromString(context),
                    link == null ? null : UUID.fromString(link),
                    RoleClass.valueOf(c.getStringClaimValue("role_class")),
                    c.getStringClaimValue("roles"), c.getStringClaimValue("mt"), continuation,
                    c.getStringClaimValue("bb"));
        } catch (ToolTokens.InvalidToolToken e) {
            throw e.expired()
                    ? Rejection.badRequest("pending_launch_expired", "more than "
                            + config.launch().pendingLinkTtl().toMinutes()
                            + " minutes passed since the launch; open the activity again from the platform")
                    : Rejection.badRequest("invalid_pending_launch", "this form was not issued by this tool or was altered");
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            throw Rejection.badRequest("invalid_pending_launch", "this form's launch is incomplete");
        }
    }

    /** A pending launch bound to a browser, and the Set-Cookie value that binds it (null: the browser has it). */
    public record Bound(PendingLaunch pending, String setCookie) {
    }

    /**
     * Binds a pending launch to this browser: a random HttpOnly cookie whose SHA-256 the signed pending token
     * carries. A pending token copied out of the page is useless in another browser, so a page of another site
     * cannot make a victim's browser finish the attacker's launch. A browser that has the cookie keeps it, so
     * two launches in two tabs both stay valid.
     */
    public Bound bind(PendingLaunch pending, Function<String, String> cookies) {
        String value = cookies.apply(BROWSER_BINDING_COOKIE);
        String setCookie = null;
        if (value == null || value.length() != 43) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            // Path=/lti/: only the account form reads it; Partitioned like the state cookie (LMS iframe)
            setCookie = BROWSER_BINDING_COOKIE + "=" + value + "; Path=/lti/; Max-Age="
                    + config.launch().pendingLinkTtl().toSeconds() + "; Secure; HttpOnly; SameSite=None; Partitioned";
        }
        return new Bound(pending.boundTo(sha256(value)), setCookie);
    }

    /** 403 unless this browser is the one the pending launch was bound to. */
    public void requireSameBrowser(PendingLaunch pending, Function<String, String> cookies) {
        String value = cookies.apply(BROWSER_BINDING_COOKIE);
        if (pending.browserBinding() == null || value == null
                || !MessageDigest.isEqual(pending.browserBinding().getBytes(StandardCharsets.US_ASCII),
                        sha256(value).getBytes(StandardCharsets.US_ASCII))) {
            throw Rejection.forbidden("pending_launch_other_browser", "this sign-in was started in another browser; "
                    + "launch the activity again from your course");
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    private static void setIfPresent(JwtClaims claims, String name, String value) {
        if (value != null) {
            claims.setStringClaim(name, value);
        }
    }
}
