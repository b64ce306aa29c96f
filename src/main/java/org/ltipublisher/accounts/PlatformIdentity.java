package org.ltipublisher.accounts;

/**
 * A platform user as a launch describes them: issuer + sub identify them (Core §5.3.6); the profile
 * claims are present only when the platform's privacy settings allow.
 */
public record PlatformIdentity(String issuer, String subject, String email, String givenName, String familyName,
        String fullName) {
}
