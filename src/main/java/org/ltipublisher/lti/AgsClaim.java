package org.ltipublisher.lti;

import java.util.List;
import java.util.Map;

/** The AGS endpoint claim (LTI AGS 2.0 §3.1): what the grades work may use for this link. */
public record AgsClaim(List<String> scope, String lineItems, String lineItem) {

    /** Null when the claim is missing. */
    public static AgsClaim of(Map<?, ?> claim) {
        if (claim == null) {
            return null;
        }
        return new AgsClaim(ClaimValues.strings(claim.get("scope")), ClaimValues.text(claim.get("lineitems")),
                ClaimValues.text(claim.get("lineitem")));
    }
}
