package org.ltipublisher.grades;

import java.util.UUID;

/** Whose score it is and where it goes: the account, the resource and link rows, the platform user (iss, sub). */
public record ScoreTarget(UUID accountId, UUID resourceId, UUID resourceLinkRowId, String issuer, String subject) {
}
