package org.ltipublisher.accounts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, UUID> {

    public Optional<Account> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    /**
     * Accounts whose username, e-mail or name contains the pattern (a LIKE pattern, lower case, escaped with '!'),
     * bound as a parameter; at most {@code limit} of them.
     */
    public List<Account> search(String likePattern, int limit) {
        return find("""
                lower(username) like ?1 escape '!' or lower(coalesce(email, '')) like ?1 escape '!'
                or lower(coalesce(fullName, '')) like ?1 escape '!'
                or lower(concat(coalesce(givenName, ''), ' ', coalesce(familyName, ''))) like ?1 escape '!'
                """, Sort.by("username"), likePattern).page(0, limit).list();
    }

    public List<Account> listByUsername() {
        return list("order by username");
    }
}
