package org.ltipublisher.accounts;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.keys.TokenPurpose;
import org.ltipublisher.keys.ToolTokens;

/**
 * A local sign-in, kept in a signed cookie so any replica recognises it. SameSite=None because the
 * prompt and sign-in pages run inside the LMS's iframe.
 */
@ApplicationScoped
public class ToolSession {

    public static final String COOKIE = "lti_publisher_session";

    private final ToolTokens tokens;
    private final LtiConfig config;

    public ToolSession(ToolTokens tokens, LtiConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    public NewCookie open(UUID accountId) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(accountId.toString());
        String token = tokens.sign(TokenPurpose.SESSION, claims, config.accounts().sessionTtl());
        return cookie(token, (int) config.accounts().sessionTtl().toSeconds());
    }

    public NewCookie close() {
        return cookie("", 0);
    }

    /** The signed-in account id, if the cookie is present and valid. */
    public Optional<UUID> accountId(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(tokens.verify(TokenPurpose.SESSION, cookieValue).getSubject()));
        } catch (ToolTokens.InvalidToolToken | MalformedClaimException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(COOKIE).value(value).path("/").maxAge(maxAge).secure(true).httpOnly(true)
                .sameSite(NewCookie.SameSite.NONE).build();
    }
}
