package org.ltipublisher.keys;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One RSA key pair of the tool. NEXT is published before it signs; RETIRED stays published for the overlap. */
@Entity
@Table(name = "tool_key")
public class ToolKey {

    public enum Status {
        NEXT, ACTIVE, RETIRED
    }

    @Id
    public UUID id;

    public String kid;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "public_jwk")
    public String publicJwk;

    @Column(name = "private_key_jwe")
    public String privateKeyJwe;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "retired_at")
    public Instant retiredAt;
}
