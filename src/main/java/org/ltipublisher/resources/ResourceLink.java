package org.ltipublisher.resources;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A placement of a published resource in a platform (Core §5.3.5), with the AGS endpoints it announced. */
@Entity
@Table(name = "resource_link")
public class ResourceLink {

    @Id
    public UUID id;

    @Column(name = "deployment_id")
    public UUID deploymentId;

    @Column(name = "resource_link_id")
    public String resourceLinkId;

    @Column(name = "resource_id")
    public UUID resourceId;

    @Column(name = "context_id")
    public UUID contextId;

    public String title;

    @Column(name = "ags_lineitems_url")
    public String agsLineitemsUrl;

    @Column(name = "ags_lineitem_url")
    public String agsLineitemUrl;

    @Column(name = "ags_scopes")
    public String agsScopes;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
