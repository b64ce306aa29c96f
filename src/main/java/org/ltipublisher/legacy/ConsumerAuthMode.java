package org.ltipublisher.legacy;

import java.util.Arrays;
import java.util.Optional;

/** How an LTI 1.1 user without a linked account gets one (Open edX's authentication options). */
public enum ConsumerAuthMode {
    /** Generated username and e-mail, no personal data stored (Open edX's default). */
    ANONYMOUS("anonymous"),
    /** Account by lis_person_contact_email_primary: linked when one exists, created otherwise. */
    AUTO_LINK_EMAIL("auto-link-email"),
    /** The learner must be signed in to LTI Publisher in this browser with the launch's e-mail. */
    EXISTING_ONLY("existing-only");

    private final String wireName;

    ConsumerAuthMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ConsumerAuthMode> fromWire(String value) {
        return Arrays.stream(values()).filter(m -> m.wireName.equalsIgnoreCase(value)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(ConsumerAuthMode::wireName).toList());
    }
}
