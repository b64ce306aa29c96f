package org.ltipublisher.accounts;

import java.util.UUID;

/** What the launch needs to know of an account. */
public record AccountSummary(UUID id, String username, String email, String displayName, boolean anonymous) {

    static AccountSummary of(Account account) {
        return new AccountSummary(account.id, account.username, account.email, account.displayName(), account.anonymous);
    }
}
