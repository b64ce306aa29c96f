package org.ltipublisher.lti;

import java.util.Map;

/** The resource_link claim (LTI Core §5.3.5): the platform's id of the placement, and its title. */
public record ResourceLinkClaim(String id, String title) {

    /** Null when the claim or its id is missing. */
    public static ResourceLinkClaim of(Map<?, ?> claim) {
        String id = claim == null ? null : ClaimValues.text(claim.get("id"));
        return id == null ? null : new ResourceLinkClaim(id, ClaimValues.text(claim.get("title")));
    }
}
