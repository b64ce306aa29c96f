package org.ltipublisher.launch;

import java.util.UUID;

/**
 * What the tool remembers between login and launch, carried inside the signed {@code state}
 * parameter so any replica can finish the launch. {@code id} names the browser-binding cookie.
 * {@code loginHint}/{@code messageHint} let a blocked-cookie page restart the login in a new window;
 * {@code storage} is set when the platform offered its postMessage storage (1EdTech LTI Client Side postMessages, lti.put_data / lti.get_data).
 */
public record LoginState(String id, UUID registrationId, String nonce, String targetLinkUri, String deploymentHint,
        String issuer, String clientId, String loginHint, String messageHint, PlatformStorage storage) {

    /**
     * The platform storage binding: the frame to post to ({@code lti_storage_target}), the origin messages
     * are addressed to (the platform's authentication endpoint), and the SHA-256 of the secret the login
     * page stored there. Only the browser that stored the secret can read it back.
     */
    public record PlatformStorage(String target, String origin, String secretSha256) {
    }

    /** The key under which the login page stores the secret in the platform's storage. */
    public String storageKey() {
        return LoginStateCodec.COOKIE_PREFIX + id;
    }
}
