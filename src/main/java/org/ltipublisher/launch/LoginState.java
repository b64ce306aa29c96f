package org.ltipublisher.launch;

import java.util.UUID;

/**
 * What the tool remembers between login and launch, carried inside the signed {@code state}
 * parameter so any replica can finish the launch. {@code id} names the browser-binding cookie.
 */
public record LoginState(String id, UUID registrationId, String nonce, String targetLinkUri, String deploymentHint) {
}
