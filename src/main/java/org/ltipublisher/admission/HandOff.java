package org.ltipublisher.admission;

import java.util.List;
import java.util.UUID;

import org.ltipublisher.lti.RoleClass;

/** Who launched what, as the content learns it from the launch token. */
public record HandOff(UUID accountId, String username, String displayName, UUID resourceId, UUID resourceLinkId,
        UUID contextId, RoleClass roleClass, List<String> roles, String platformIssuer, String platformUserId) {
}
