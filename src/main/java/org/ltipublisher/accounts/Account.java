package org.ltipublisher.accounts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account of LTI Publisher; platform users link to it. */
@Entity
@Table(name = "account")
public class Account {

    @Id
    public UUID id;

    public String username;

    public String email;

    @Column(name = "given_name")
    public String givenName;

    @Column(name = "family_name")
    public String familyName;

    @Column(name = "full_name")
    public String fullName;

    /** bcrypt; null for accounts that only ever arrive through a platform. */
    @Column(name = "password_hash")
    public String passwordHash;

    /** Created without personal data (anonymous provisioning). */
    public boolean anonymous;

    @Column(name = "created_at")
    public Instant createdAt;

    /** BCP 47 language tag, from the resource's defaults when a launch created the account. */
    public String language;

    /** Time zone id ({@link java.time.ZoneId}), from the resource's defaults when a launch created the account. */
    public String timezone;

    public String institution;

    public String displayName() {
        return displayName(username, givenName, familyName, fullName);
    }

    /** The full name, else given + family name, else the username. */
    public static String displayName(String username, String givenName, String familyName, String fullName) {
        if (fullName != null && !fullName.isBlank()) {
            return fullName;
        }
        String joined = ((givenName == null ? "" : givenName) + " " + (familyName == null ? "" : familyName)).trim();
        return joined.isEmpty() ? username : joined;
    }
}
