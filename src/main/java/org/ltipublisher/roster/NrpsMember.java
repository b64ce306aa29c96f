package org.ltipublisher.roster;

import java.util.List;

import org.ltipublisher.accounts.PlatformIdentity;

/** One member of an NRPS membership container (NRPS §2.3). */
public record NrpsMember(String userId, String status, List<String> roles, String name, String givenName,
        String familyName, String email) {

    /** Active unless the platform says Inactive or Deleted (status is optional, Active by default). */
    public boolean active() {
        return status == null || status.isBlank() || status.equalsIgnoreCase("Active");
    }

    public PlatformIdentity identity(String issuer) {
        return new PlatformIdentity(issuer, userId, email, givenName, familyName, name);
    }
}
