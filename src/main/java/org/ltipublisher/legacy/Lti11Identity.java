package org.ltipublisher.legacy;

import java.util.Optional;
import java.util.UUID;

import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.legacy.outcomes.OutcomeTargets;

/**
 * LTI 1.1 users as platform users: 1.1 has no issuer, so the consumer stands in for it and the
 * launch's user_id is the subject. Keyed by the consumer's id, so changing its key keeps the links.
 */
public final class Lti11Identity {

    static final String ISSUER_PREFIX = OutcomeTargets.LTI11_ISSUER_PREFIX;

    private Lti11Identity() {
    }

    public static String issuer(UUID consumerId) {
        return ISSUER_PREFIX + consumerId;
    }

    /** The consumer whose users carry this issuer, when it is an LTI 1.1 one. */
    public static Optional<UUID> consumerId(String issuer) {
        if (issuer == null || !issuer.startsWith(ISSUER_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(issuer.substring(ISSUER_PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static PlatformIdentity of(UUID consumerId, String userId, String email, String givenName,
            String familyName, String fullName) {
        return new PlatformIdentity(issuer(consumerId), userId, email, givenName, familyName, fullName);
    }
}
