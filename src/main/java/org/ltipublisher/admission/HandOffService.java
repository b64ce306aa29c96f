package org.ltipublisher.admission;


import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.keys.TokenPurpose;
import org.ltipublisher.keys.ToolTokens;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.web.Rejection;

/**
 * The short-lived launch token that sends the browser on to the content. HMAC-signed so the launch
 * costs one asymmetric operation (the id_token's RSA verify); the content checks it by calling
 * {@code GET /api/v1/launch-context} with the token as bearer.
 */
@ApplicationScoped
public class HandOffService {

    public static final String TOKEN_PARAM = "launch_token";
    public static final String SAMPLE_ACTIVITY_PATH = "/activity/";

    private final ToolTokens tokens;
    private final LtiConfig config;

    public HandOffService(ToolTokens tokens, LtiConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    /** Where the browser goes: the resource's content URL, or the built-in sample activity. */
    public URI destination(PublishedResource resource, HandOff handOff, String baseUrl) {
        String target = resource.contentUrl != null ? resource.contentUrl
                : baseUrl + SAMPLE_ACTIVITY_PATH + resource.id;
        String separator = target.contains("?") ? "&" : "?";
        return URI.create(target + separator + TOKEN_PARAM + "="
                + URLEncoder.encode(issue(handOff), StandardCharsets.UTF_8));
    }

    public String issue(HandOff h) {
        JwtClaims c = new JwtClaims();
        c.setSubject(h.accountId().toString());
        c.setStringClaim("username", h.username());
        c.setStringClaim("name", h.displayName());
        c.setStringClaim("resource", h.resourceId().toString());
        c.setStringClaim("link", h.resourceLinkId().toString());
        if (h.contextId() != null) {
            c.setStringClaim("context", h.contextId().toString());
        }
        c.setStringClaim("role_class", h.roleClass().name());
        c.setStringClaim("roles", String.join(" ", h.roles()));
        c.setStringClaim("platform", h.platformIssuer());
        c.setStringClaim("platform_user", h.platformUserId());
        return tokens.sign(TokenPurpose.HAND_OFF, c, config.launch().handOffTtl());
    }

    public HandOff verify(String token) {
        if (token == null || token.isBlank()) {
            throw Rejection.unauthorized("missing_launch_token", "no launch token: open this content from your course");
        }
        try {
            JwtClaims c = tokens.verify(TokenPurpose.HAND_OFF, token);
            String context = c.getStringClaimValue("context");
            String roles = c.getStringClaimValue("roles");
            return new HandOff(UUID.fromString(c.getSubject()), c.getStringClaimValue("username"),
                    c.getStringClaimValue("name"), UUID.fromString(c.getStringClaimValue("resource")),
                    UUID.fromString(c.getStringClaimValue("link")), context == null ? null : UUID.fromString(context),
                    RoleClass.valueOf(c.getStringClaimValue("role_class")),
                    roles == null || roles.isBlank() ? List.of() : Arrays.asList(roles.split(" ")),
                    c.getStringClaimValue("platform"), c.getStringClaimValue("platform_user"));
        } catch (ToolTokens.InvalidToolToken e) {
            throw e.expired()
                    ? Rejection.unauthorized("launch_token_expired", "the launch token expired; open the content again from your course")
                    : Rejection.unauthorized("invalid_launch_token", "the launch token was not issued by this tool");
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            throw Rejection.unauthorized("invalid_launch_token", "the launch token is incomplete");
        }
    }

    /** The bearer token of an {@code Authorization} header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }
}
