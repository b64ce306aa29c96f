package org.ltipublisher.registration;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class RegistrationRepository implements PanacheRepositoryBase<Registration, UUID> {

    public List<Registration> findByIssuer(String issuer) {
        return list("issuer", issuer);
    }

    public Optional<Registration> findByIssuerAndClientId(String issuer, String clientId) {
        return find("issuer = ?1 and clientId = ?2", issuer, clientId).firstResultOptional();
    }

    public List<Registration> listByName() {
        return list("order by name, createdAt");
    }
}
