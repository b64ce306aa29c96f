package org.ltipublisher.registration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

/**
 * A platform's registration of this tool: one (issuer, client_id) pair with its endpoints.
 * Several registrations may share an issuer (Canvas, Blackboard); each has many deployments.
 */
@Entity
@Table(name = "registration")
public class Registration {

    @Id
    public UUID id;

    public String name;

    public String issuer;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "authentication_request_url")
    public String authenticationRequestUrl;

    @Column(name = "access_token_url")
    public String accessTokenUrl;

    @Column(name = "jwks_url")
    public String jwksUrl;

    @Column(name = "token_audience")
    public String tokenAudience;

    @Enumerated(EnumType.STRING)
    @Column(name = "unknown_deployment_policy")
    public UnknownDeploymentPolicy unknownDeploymentPolicy = UnknownDeploymentPolicy.REFUSE;

    @OneToMany(mappedBy = "registration", cascade = CascadeType.REMOVE)
    @OrderBy("createdAt")
    public List<Deployment> deployments = new ArrayList<>();

    /** The platform's {@code product_family_code} as told during dynamic registration (moodle, canvas, desire2learn...). */
    @Column(name = "product_family_code")
    public String productFamilyCode;

    @Column(name = "registered_dynamically_at")
    public Instant registeredDynamicallyAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public boolean hasPlatformDetails() {
        return issuer != null && clientId != null && authenticationRequestUrl != null && jwksUrl != null;
    }

    /** Active once the platform details and at least one deployment are known. */
    public RegistrationStatus status() {
        return hasPlatformDetails() && !deployments.isEmpty() ? RegistrationStatus.ACTIVE : RegistrationStatus.PENDING;
    }
}
