package org.ltipublisher.upgrade;

import org.ltipublisher.accounts.PlatformIdentity;

/**
 * What the LTI 1.1 upgrade needs of a verified LTI 1.3 resource link launch: which registration and deployment
 * it came through, where it points, who launched, and the platform's context and resource link ids (which Moodle
 * keeps from LTI 1.1 to 1.3).
 */
public record MigratingLaunch(String issuer, String clientId, String deploymentId, String targetLinkUri,
        PlatformIdentity user, String contextId, String resourceLinkId) {
}
