package org.ltipublisher.db;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Transaction-scoped PostgreSQL advisory locks: replicas that start or rotate keys at the same
 * moment take turns instead of both doing the work.
 */
@ApplicationScoped
public class AdvisoryLocks {

    private final EntityManager em;

    public AdvisoryLocks(EntityManager em) {
        this.em = em;
    }

    /** Blocks until this transaction holds the lock named {@code name}; released at commit or rollback. */
    public void lockForTransaction(String name) {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:name, 0))")
                .setParameter("name", name)
                .getSingleResult();
    }
}
