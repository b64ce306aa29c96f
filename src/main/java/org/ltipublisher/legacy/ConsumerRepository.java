package org.ltipublisher.legacy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ConsumerRepository implements PanacheRepositoryBase<Consumer, UUID> {

    public Optional<Consumer> findByKey(String consumerKey) {
        return find("consumerKey", consumerKey).firstResultOptional();
    }

    public List<Consumer> listByName() {
        return list("order by name, consumerKey");
    }
}
