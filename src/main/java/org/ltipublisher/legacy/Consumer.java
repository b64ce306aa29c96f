package org.ltipublisher.legacy;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An external LMS launching over LTI 1.1 with its own consumer key and secret (Open edX "LTI Consumer"). */
@Entity
@Table(name = "lti_consumer")
public class Consumer {

    @Id
    public UUID id;

    public String name;

    @Column(name = "consumer_key")
    public String consumerKey;

    /** The shared secret as a JWE (keys.KeyEncryption); OAuth 1.0a HMAC needs it in plaintext. */
    @Column(name = "secret_jwe")
    public String secretJwe;

    /** tool_consumer_instance_guid of the first launch; later launches must carry the same. */
    @Column(name = "instance_guid")
    public String instanceGuid;

    @Column(name = "require_user_account")
    public boolean requireUserAccount;

    @Enumerated(EnumType.STRING)
    @Column(name = "auth_mode")
    public ConsumerAuthMode authMode = ConsumerAuthMode.ANONYMOUS;

    /** Switched off, its launches are refused; everything it created stays. */
    public boolean enabled = true;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
