package org.ltipublisher.deeplinking;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.keys.TokenPurpose;
import org.ltipublisher.keys.ToolTokens;
import org.ltipublisher.web.Rejection;

/**
 * Carries a {@link DeepLinkingSelection} between the launch and the teacher's answer as a signed tool token,
 * so any replica can finish it and nothing is stored for an abandoned selection.
 */
@ApplicationScoped
public class SelectionTokens {

    private final ToolTokens tokens;
    private final LtiConfig config;

    public SelectionTokens(ToolTokens tokens, LtiConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    public String sign(DeepLinkingSelection s) {
        JwtClaims c = new JwtClaims();
        c.setStringClaim("reg", s.registrationId().toString());
        c.setStringClaim("iss_p", s.platformIssuer());
        c.setStringClaim("client", s.clientId());
        c.setStringClaim("dep", s.deploymentId());
        DeepLinkingSettings d = s.settings();
        c.setStringClaim("ret", d.returnUrl());
        c.setStringListClaim("types", d.acceptTypes());
        c.setStringListClaim("targets", d.acceptPresentationDocumentTargets());
        c.setClaim("multiple", d.acceptMultiple());
        if (d.acceptLineItem() != null) {
            c.setClaim("lineitem", d.acceptLineItem());
        }
        setIfPresent(c, "data", d.data());
        setIfPresent(c, "title", d.title());
        setIfPresent(c, "text", d.text());
        setIfPresent(c, "account", s.accountId() == null ? null : s.accountId().toString());
        return tokens.sign(TokenPurpose.DEEP_LINKING, c, config.launch().pendingLinkTtl());
    }

    public DeepLinkingSelection verify(String token) {
        if (token == null || token.isBlank()) {
            throw Rejection.badRequest("missing_selection", "this form lost its deep linking request; "
                    + "start again from the platform's add-content button");
        }
        try {
            JwtClaims c = tokens.verify(TokenPurpose.DEEP_LINKING, token);
            String account = c.getStringClaimValue("account");
            return new DeepLinkingSelection(UUID.fromString(c.getStringClaimValue("reg")),
                    c.getStringClaimValue("iss_p"), c.getStringClaimValue("client"), c.getStringClaimValue("dep"),
                    new DeepLinkingSettings(c.getStringClaimValue("ret"), list(c, "types"), list(c, "targets"),
                            Boolean.TRUE.equals(c.getClaimValue("multiple")),
                            c.getClaimValue("lineitem") instanceof Boolean b ? b : null,
                            c.getStringClaimValue("data"), c.getStringClaimValue("title"), c.getStringClaimValue("text")),
                    account == null ? null : UUID.fromString(account));
        } catch (ToolTokens.InvalidToolToken e) {
            throw e.expired()
                    ? Rejection.badRequest("selection_expired", "more than "
                            + config.launch().pendingLinkTtl().toMinutes()
                            + " minutes passed since the platform asked for content; start again from the platform")
                    : Rejection.badRequest("invalid_selection", "this form was not issued by this tool or was altered");
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            throw Rejection.badRequest("invalid_selection", "this form's deep linking request is incomplete");
        }
    }

    private static List<String> list(JwtClaims c, String name) throws MalformedClaimException {
        return c.hasClaim(name) ? c.getStringListClaimValue(name) : List.of();
    }

    private static void setIfPresent(JwtClaims claims, String name, String value) {
        if (value != null) {
            claims.setStringClaim(name, value);
        }
    }
}
