package org.ltipublisher.launch;

/** Third-party login initiation parameters (Security Framework §5.1.1, Core §4.1), GET or POST. */
public record LoginRequest(String iss, String loginHint, String targetLinkUri, String ltiMessageHint, String clientId,
        String ltiDeploymentId, String ltiStorageTarget) {
}
