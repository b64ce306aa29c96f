package org.ltipublisher.platform;

import java.util.UUID;

import org.ltipublisher.registration.Registration;

/** What a service call needs to know of a registration: who we are there and where its token endpoint is. */
public record PlatformTarget(UUID registrationId, String issuer, String clientId, String accessTokenUrl,
        String tokenAudience) {

    /** Security Framework §4.1: aud is the token endpoint unless the platform names another audience. */
    public String assertionAudience() {
        return tokenAudience != null && !tokenAudience.isBlank() ? tokenAudience : accessTokenUrl;
    }

    public static PlatformTarget of(Registration r) {
        return new PlatformTarget(r.id, r.issuer, r.clientId, r.accessTokenUrl, r.tokenAudience);
    }
}
