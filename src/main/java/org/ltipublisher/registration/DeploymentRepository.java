package org.ltipublisher.registration;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<Deployment, UUID> {

    public Optional<Deployment> find(UUID registrationId, String deploymentId) {
        return find("registration.id = ?1 and deploymentId = ?2", registrationId, deploymentId).firstResultOptional();
    }
}
