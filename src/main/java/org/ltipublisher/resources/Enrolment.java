package org.ltipublisher.resources;

import org.ltipublisher.lti.RoleClass;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account's membership of a published resource within one platform context. */
@Entity
@Table(name = "enrolment")
public class Enrolment {

    @Id
    public UUID id;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "resource_id")
    public UUID resourceId;

    @Column(name = "context_id")
    public UUID contextId;

    @Enumerated(EnumType.STRING)
    @Column(name = "role_class")
    public RoleClass roleClass;

    /** The launch's role URIs, space separated. */
    public String roles;

    public String status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
