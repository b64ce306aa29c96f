package org.ltipublisher.lti;

import java.util.List;
import java.util.Map;

/** The context claim (LTI Core §5.4.1): the course the launch happened in. */
public record ContextClaim(String id, String label, String title, List<String> types) {

    /** Null when the claim or its id is missing. */
    public static ContextClaim of(Map<?, ?> claim) {
        String id = claim == null ? null : ClaimValues.text(claim.get("id"));
        if (id == null) {
            return null;
        }
        return new ContextClaim(id, ClaimValues.text(claim.get("label")), ClaimValues.text(claim.get("title")),
                ClaimValues.strings(claim.get("type")));
    }
}
