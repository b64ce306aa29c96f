package org.ltipublisher.accounts;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.accounts.AccountDtos.AccountRequest;
import org.ltipublisher.accounts.AccountDtos.AccountSearch;
import org.ltipublisher.accounts.AccountDtos.AccountView;
import org.ltipublisher.web.Rejection;

import io.quarkus.elytron.security.common.BcryptUtil;

/** What the admin API edits: accounts as Panache entities (launches use {@link AccountService}, SQL only). */
@ApplicationScoped
public class AccountAdminService {

    /** The most accounts one search answers with: a search narrows, it does not page through everyone. */
    public static final int MAX_SEARCH_RESULTS = 50;
    static final int MAX_QUERY_LENGTH = 100;

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

    /**
     * Accounts whose username, e-mail or name contains {@code query} (case-insensitive), by username, at most
     * {@code limit}; a blank query lists the first accounts. The term is a bound parameter with LIKE's wildcards
     * escaped, so '%' and '_' match themselves.
     */
    @Transactional
    public AccountSearch search(String query, int limit) {
        String term = query == null ? "" : query.trim();
        if (term.length() > MAX_QUERY_LENGTH) {
            throw Rejection.badRequest("invalid_query", "the search term is longer than " + MAX_QUERY_LENGTH
                    + " characters: search by a part of the username, e-mail or name");
        }
        if (limit < 1 || limit > MAX_SEARCH_RESULTS) {
            throw Rejection.badRequest("invalid_limit", "limit must be between 1 and " + MAX_SEARCH_RESULTS);
        }
        String pattern = "%" + term.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_")
                + "%";
        List<Account> found = accounts.search(pattern, limit + 1);
        return new AccountSearch(term, found.stream().limit(limit).map(AccountView::of).toList(), found.size() > limit);
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
