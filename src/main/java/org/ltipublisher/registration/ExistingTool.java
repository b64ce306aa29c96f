package org.ltipublisher.registration;

/**
 * The tool configuration a platform offers when a registration updates a tool it already has (Moodle's
 * "reg-update" registration token, answered by a GET of its registration endpoint): the old launch URL, the
 * deployment, and for a tool that was LTI 1.1 the {@code oauth_consumer} proof that the platform holds the
 * consumer's secret.
 */
public record ExistingTool(String version, String targetLinkUri, String deploymentId, OAuthConsumer oauthConsumer) {

    /** Moodle's {@code oauth_consumer}: {key, nonce, sign = hex(SHA-256(key + secret + nonce))}. */
    public record OAuthConsumer(String key, String nonce, String sign) {
    }
}
