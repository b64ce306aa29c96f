package org.ltipublisher.registration;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One installation of the tool inside a platform (Core §3.1.3): the `deployment_id` claim. */
@Entity
@Table(name = "deployment")
public class Deployment {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "registration_id")
    public Registration registration;

    @Column(name = "deployment_id")
    public String deploymentId;

    public String name;

    @Column(name = "auto_added")
    public boolean autoAdded;

    @Column(name = "created_at")
    public Instant createdAt;
}
