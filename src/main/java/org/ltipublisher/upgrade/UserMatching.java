package org.ltipublisher.upgrade;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How the users of an LTI 1.1 consumer are recognised among the users of the 1.3 registration it became.
 * {@code same-id}: the 1.3 {@code sub} is the 1.1 {@code user_id} (Moodle keeps its user id in both);
 * {@code same-email}: the two accounts have the same e-mail address (platforms whose ids differ).
 */
public enum UserMatching {
    SAME_ID("same-id"), SAME_EMAIL("same-email");

    private final String wireName;

    UserMatching(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<UserMatching> fromWire(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.wireName.equals(v)).findFirst();
    }
}
