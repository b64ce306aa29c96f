package org.ltipublisher.launch;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.keys.TokenPurpose;
import org.ltipublisher.keys.ToolTokens;
import org.ltipublisher.resources.RoleClass;
import org.ltipublisher.web.Rejection;

@ApplicationScoped
public class PendingLaunchCodec {

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
        setIfPresent(c, "dl", p.deepLinking());
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
            String deepLinking = c.getStringClaimValue("dl");
            if (deepLinking == null && (resource == null || link == null)) {
                throw new IllegalArgumentException("neither a resource nor a deep linking request");
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
                    c.getStringClaimValue("roles"), deepLinking);
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

    private static void setIfPresent(JwtClaims claims, String name, String value) {
        if (value != null) {
            claims.setStringClaim(name, value);
        }
    }
}
