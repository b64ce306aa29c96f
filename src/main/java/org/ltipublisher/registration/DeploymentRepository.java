package org.ltipublisher.registration;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<Deployment, UUID> {

    public Optional<Deployment> find(UUID registrationId, String deploymentId) {
        return find("registration.id = ?1 and deploymentId = ?2", registrationId, deploymentId).firstResultOptional();
    }

    /**
     * Adds a deployment first seen at launch unless it exists. One upsert, so concurrent first launches add it
     * once: the others wait for the first one's commit and then find its row. True when this call added it.
     */
    public boolean addSeen(UUID registrationId, String deploymentId, Instant seenAt) {
        return getEntityManager().createNativeQuery("""
                insert into deployment (id, registration_id, deployment_id, auto_added, created_at)
                values (?1, ?2, ?3, true, ?4)
                on conflict (registration_id, deployment_id) do nothing
                """).setParameter(1, UUID.randomUUID()).setParameter(2, registrationId)
                .setParameter(3, deploymentId).setParameter(4, seenAt).executeUpdate() == 1;
    }
}
