package org.ltipublisher.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ToolKeyRepository implements PanacheRepositoryBase<ToolKey, UUID> {

    public Optional<ToolKey> findByStatus(ToolKey.Status status) {
        return find("status", status).firstResultOptional();
    }

    /** True when both the signing key and the next key exist (the usual state after the first start). */
    public boolean hasActiveAndNext() {
        return count("status", ToolKey.Status.ACTIVE) > 0 && count("status", ToolKey.Status.NEXT) > 0;
    }

    /** Keys a verifier may meet: the next one, the signing one, and retired ones still in their overlap. */
    public List<ToolKey> published(Instant retiredAfter) {
        return list("status <> ?1 or retiredAt > ?2 order by createdAt desc", ToolKey.Status.RETIRED, retiredAfter);
    }

    public void retireActive(Instant now) {
        update("status = ?1, retiredAt = ?2 where status = ?3", ToolKey.Status.RETIRED, now, ToolKey.Status.ACTIVE);
    }

    public void activateNext(Instant now) {
        update("status = ?1, activatedAt = ?2 where status = ?3", ToolKey.Status.ACTIVE, now, ToolKey.Status.NEXT);
    }

    public long deleteRetiredBefore(Instant cutoff) {
        return delete("status = ?1 and retiredAt < ?2", ToolKey.Status.RETIRED, cutoff);
    }
}
