package org.ltipublisher.accounts;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.accounts.AccountDtos.AccountRequest;
import org.ltipublisher.accounts.AccountDtos.AccountView;
import org.ltipublisher.web.Rejection;

import io.quarkus.elytron.security.common.BcryptUtil;

/** What the admin API edits: accounts as Panache entities (launches use {@link AccountService}, SQL only). */
@ApplicationScoped
public class AccountAdminService {

    private final AccountRepository accounts;
    private final Clock clock;

    public AccountAdminService(AccountRepository accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    @Transactional
    public AccountView create(AccountRequest request) {
        if (request == null || request.username() == null || request.username().isBlank()) {
            throw Rejection.unprocessable("missing_field", "username is required");
        }
        String username = request.username().trim();
        if (username.length() > 100) {
            throw Rejection.unprocessable("invalid_username", "username is longer than 100 characters");
        }
        if (accounts.findByUsername(username).isPresent()) {
            throw Rejection.conflict("duplicate_username", "an account named '" + username + "' exists already");
        }
        if (request.password() != null && request.password().length() < 8) {
            throw Rejection.unprocessable("weak_password", "password must have at least 8 characters");
        }
        if (request.email() != null && !request.email().isBlank() && !request.email().contains("@")) {
            throw Rejection.unprocessable("invalid_email", "email '" + request.email() + "' is not an e-mail address");
        }
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.username = username;
        account.email = blankToNull(request.email());
        account.givenName = blankToNull(request.givenName());
        account.familyName = blankToNull(request.familyName());
        account.passwordHash = request.password() == null ? null : BcryptUtil.bcryptHash(request.password());
        account.createdAt = clock.instant();
        accounts.persist(account);
        return AccountView.of(account);
    }

    @Transactional
    public List<AccountView> list() {
        return accounts.listByUsername().stream().map(AccountView::of).toList();
    }

    @Transactional
    public AccountView get(UUID id) {
        return accounts.findByIdOptional(id).map(AccountView::of)
                .orElseThrow(() -> Rejection.notFound("unknown_account", "no account with id " + id));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
