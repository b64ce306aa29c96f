package org.ltipublisher.accounts;

import java.time.Instant;
import java.util.UUID;

public final class AccountDtos {

    private AccountDtos() {
    }

    public record AccountRequest(String username, String email, String password, String givenName, String familyName) {
    }

    public record AccountView(UUID id, String username, String email, String givenName, String familyName,
            boolean anonymous, boolean canSignIn, Instant createdAt, String language, String timezone,
            String institution) {
        static AccountView of(Account a) {
            return new AccountView(a.id, a.username, a.email, a.givenName, a.familyName, a.anonymous,
                    a.passwordHash != null, a.createdAt, a.language, a.timezone, a.institution);
        }
    }
}
