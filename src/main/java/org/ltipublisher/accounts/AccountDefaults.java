package org.ltipublisher.accounts;

/**
 * What an account created by a launch or member sync starts with (Moodle's "User default values" of a
 * published tool); any of them may be null.
 */
public record AccountDefaults(String language, String timezone, String institution) {

    public static final AccountDefaults NONE = new AccountDefaults(null, null, null);
}
