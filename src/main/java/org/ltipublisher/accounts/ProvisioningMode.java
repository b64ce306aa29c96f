package org.ltipublisher.accounts;

import java.util.Arrays;
import java.util.Optional;

/** How a platform user without a linked account gets one (per published resource and role). */
public enum ProvisioningMode {
    /** New account from the launch's name and e-mail (Moodle "New accounts only", the learner default). */
    AUTO("auto"),
    /** The user links an existing account or creates one (Moodle "Existing and new accounts", the teacher default). */
    PROMPT("prompt"),
    /** Only an existing, signed-in account with the launch's e-mail (Moodle "Existing accounts only"). */
    EXISTING_ONLY("existing-only"),
    /** New account with a generated name and no personal data (Open edX's default). */
    ANONYMOUS("anonymous");

    private final String wireName;

    ProvisioningMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ProvisioningMode> fromWire(String value) {
        return Arrays.stream(values()).filter(m -> m.wireName.equalsIgnoreCase(value)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(ProvisioningMode::wireName).toList());
    }
}
