package org.ltipublisher.platform;

import java.time.Instant;
import java.util.UUID;

/** A platform access token for one registration and scope set (Security Framework §4.1). */
public record AccessToken(UUID registrationId, String scopes, String value, Instant expiresAt) {
}
