package org.ltipublisher.resources;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class PublishedResourceRepository implements PanacheRepositoryBase<PublishedResource, UUID> {

    public List<PublishedResource> listByTitle() {
        return list("order by title, createdAt");
    }
}
