package org.ltipublisher.upgrade;

import java.util.List;
import java.util.UUID;

import org.ltipublisher.accounts.AccountMergeStore.MergePair;
import org.ltipublisher.accounts.AccountMergeStore.Merged;

/** Admin API bodies of the LTI 1.1 → 1.3 upgrade. */
public final class UpgradeDtos {

    private UpgradeDtos() {
    }

    /** {@code userMatching}: same-id or same-email; {@code deploymentId} optional (null: every deployment). */
    public record LinkRequest(String registrationId, String deploymentId, String userMatching) {
    }

    /** Two accounts the rule pairs: the source (a 1.3 user's) is merged into the target (the 1.1 user's). */
    public record PairView(UUID targetAccountId, String targetUsername, UUID sourceAccountId, String sourceUsername,
            String matchedOn) {
        static PairView of(MergePair p) {
            return new PairView(p.targetAccountId(), p.targetUsername(), p.sourceAccountId(), p.sourceUsername(),
                    p.matchedOn());
        }
    }

    public record LinkView(UUID consumerId, UUID registrationId, String deploymentId, String userMatching,
            boolean dryRun, List<PairView> pairs, List<Merged> merged, int sharedContexts, int sharedResourceLinks) {
    }

    /** {@code source}: the account merged into the one in the path (and then deleted). */
    public record MergeRequest(String source) {
    }
}
