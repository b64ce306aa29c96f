package org.ltipublisher.resources;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A course (or section, group) in a platform, per deployment (Core §5.4.1 context claim). */
@Entity
@Table(name = "lti_context")
public class LtiContext {

    @Id
    public UUID id;

    @Column(name = "deployment_id")
    public UUID deploymentId;

    @Column(name = "context_id")
    public String contextId;

    public String label;

    public String title;

    public String types;

    /** NRPS context_memberships_url announced at launch, for the member sync. */
    @Column(name = "memberships_url")
    public String membershipsUrl;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
