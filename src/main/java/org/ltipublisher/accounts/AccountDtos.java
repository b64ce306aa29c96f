package org.ltipublisher.accounts;

import java.time.Instant;
import java.util.List;
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

    /** One page of an account search: at most the limit, {@code more} when further accounts matched. */
    public record AccountSearch(String query, List<AccountView> accounts, boolean more) {
    }

    /**
     * A platform user linked to an account: issuer + subject (LTI Core §5.3.6; an LTI 1.1 consumer stands in as
     * the issuer of its users), when it was linked and when it last launched.
     */
    public record PlatformUserView(UUID id, String issuer, String subject, boolean ownsProfile, Instant linkedAt,
            Instant lastLaunchAt) {
    }
}
