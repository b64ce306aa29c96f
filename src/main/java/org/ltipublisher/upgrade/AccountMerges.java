package org.ltipublisher.upgrade;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;
import org.ltipublisher.accounts.AccountMergeStore;
import org.ltipublisher.accounts.AccountMergeStore.Locked;
import org.ltipublisher.accounts.AccountMergeStore.Merged;
import org.ltipublisher.web.Rejection;

/**
 * Merging two accounts of one person (their LTI 1.1 and 1.3 identities ended up on two accounts). Atomic:
 * one transaction with both account rows locked (lower id first), so a merge is all or nothing and two
 * concurrent requests for the same pair take turns; the second finds the source merged and answers so.
 */
@ApplicationScoped
public class AccountMerges {

    private static final Logger LOG = Logger.getLogger(AccountMerges.class);

    private final AccountMergeStore store;

    public AccountMerges(AccountMergeStore store) {
        this.store = store;
    }

    @Transactional
    public Merged merge(UUID target, UUID source, String mergedBy, String reason) {
        return mergeInTransaction(target, source, mergedBy, reason);
    }

    /** In the caller's transaction (a consumer link merges all its pairs at once). */
    Merged mergeInTransaction(UUID target, UUID source, String mergedBy, String reason) {
        if (target.equals(source)) {
            throw Rejection.unprocessable("merge_into_itself", "the source and the target are the same account "
                    + target + ": name the other account of the same person as source");
        }
        Locked locked = store.lockPair(target, source);
        if (locked.targetUsername().isEmpty()) {
            throw Rejection.notFound("unknown_account", "no account with id " + target + store.mergedInto(target)
                    .map(into -> " (it was merged into " + into + ": merge into that account instead)").orElse(""));
        }
        if (locked.sourceUsername().isEmpty()) {
            if (store.mergedInto(source).filter(target::equals).isPresent()) {
                // a repeated (or concurrent) request for a merge that is done: the same answer, nothing moved
                return new Merged(target, source, true, 0, 0, 0, 0, 0);
            }
            throw Rejection.notFound("unknown_account", "no account with id " + source + store.mergedInto(source)
                    .map(into -> " (it was merged into " + into + ")").orElse(""));
        }
        Merged merged = store.merge(target, source, locked.sourceUsername().get(), mergedBy, reason);
        LOG.infof("audit: account %s (%s) merged into %s (%s) by %s, reason %s: platformUsers=%d enrolments=%d "
                + "duplicateEnrolments=%d scores=%d sessions=%d", source, locked.sourceUsername().get(), target,
                locked.targetUsername().get(), mergedBy, reason, merged.platformUsers(), merged.enrolments(),
                merged.duplicateEnrolments(), merged.scores(), merged.sessions());
        return merged;
    }
}
