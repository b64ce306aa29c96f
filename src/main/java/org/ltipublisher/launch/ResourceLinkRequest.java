package org.ltipublisher.launch;

import java.util.Map;

import org.ltipublisher.lti.AgsClaim;
import org.ltipublisher.lti.ClaimValues;
import org.ltipublisher.lti.ContextClaim;
import org.ltipublisher.lti.LtiClaims;
import org.ltipublisher.lti.ResourceLinkClaim;
import org.ltipublisher.web.Rejection;

/**
 * The claims of an LtiResourceLinkRequest beyond the common ones (LTI Core §5.3.5 resource_link required;
 * §5.4 optional: context, custom, launch_presentation; AGS §3.1; NRPS §3.6.1; the lti1p1 migration claim).
 */
public record ResourceLinkRequest(VerifiedIdToken token, ResourceLinkClaim resourceLink, ContextClaim context,
        Map<String, String> custom, AgsClaim ags, String membershipsUrl, String returnUrl, Map<?, ?> lti1p1) {

    public static ResourceLinkRequest of(VerifiedIdToken token) {
        ResourceLinkClaim resourceLink = ResourceLinkClaim.of(token.object(LtiClaims.RESOURCE_LINK));
        if (resourceLink == null) {
            throw Rejection.badRequest("missing_resource_link", "the id_token has no resource_link id");
        }
        Map<?, ?> nrps = token.object(LtiClaims.NRPS);
        Map<?, ?> presentation = token.object(LtiClaims.LAUNCH_PRESENTATION);
        return new ResourceLinkRequest(token, resourceLink, ContextClaim.of(token.object(LtiClaims.CONTEXT)),
                ClaimValues.stringMap(token.claims().getClaimValue(LtiClaims.CUSTOM)),
                AgsClaim.of(token.object(LtiClaims.AGS_ENDPOINT)),
                nrps == null ? null : ClaimValues.text(nrps.get("context_memberships_url")),
                presentation == null ? null : ClaimValues.text(presentation.get("return_url")),
                token.object(LtiClaims.LTI1P1));
    }
}
