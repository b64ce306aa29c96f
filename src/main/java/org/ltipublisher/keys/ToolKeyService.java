package org.ltipublisher.keys;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.AdvisoryLocks;
import org.ltipublisher.web.Rejection;

/**
 * The tool's RSA keys, kept in the database so every replica signs with the same key and serves the
 * same JWKS. Rotation promotes the pre-published NEXT key, so a platform that cached our JWKS already
 * knows a key before it ever signs.
 */
@ApplicationScoped
public class ToolKeyService {

    private static final Logger LOG = Logger.getLogger(ToolKeyService.class);
    private static final String LOCK = "lti-publisher:tool-keys";
    private static final int KEY_BITS = 2048;
    /** A replica re-reads which key is active this often; the next key is published long before, so this is safe. */
    private static final Duration ACTIVE_KEY_CACHE = Duration.ofSeconds(30);

    private final ToolKeyRepository keys;
    private final KeyEncryption encryption;
    private final AdvisoryLocks locks;
    private final LtiConfig config;
    private final Clock clock;
    private final Map<String, PrivateKey> decrypted = new ConcurrentHashMap<>();
    private final AtomicReference<CachedActive> active = new AtomicReference<>();

    private record CachedActive(SigningKey key, Instant readAt) {
    }

    public ToolKeyService(ToolKeyRepository keys, KeyEncryption encryption, AdvisoryLocks locks,
            LtiConfig config, Clock clock) {
        this.keys = keys;
        this.encryption = encryption;
        this.locks = locks;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Creates the first signing key and the next key when missing (first start of the first replica).
     * A restart only counts rows: the locked path runs when keys are missing.
     */
    public void ensureKeys() {
        if (QuarkusTransaction.requiringNew().call(keys::hasActiveAndNext)) {
            return;
        }
        QuarkusTransaction.requiringNew().run(this::createMissingKeys);
    }

    private void createMissingKeys() {
        locks.lockForTransaction(LOCK);
        Instant now = clock.instant();
        if (keys.findByStatus(ToolKey.Status.ACTIVE).isEmpty()) {
            keys.persist(newKey(ToolKey.Status.ACTIVE, now));
            LOG.info("created the tool's first signing key");
        }
        if (keys.findByStatus(ToolKey.Status.NEXT).isEmpty()) {
            keys.persist(newKey(ToolKey.Status.NEXT, now));
        }
    }

    /**
     * NEXT becomes ACTIVE, ACTIVE becomes RETIRED (published for {@code lti.keys.retired-overlap}),
     * and a fresh NEXT is published.
     */
    @Transactional
    public KeyView rotate() {
        locks.lockForTransaction(LOCK);
        Instant now = clock.instant();
        if (keys.findByStatus(ToolKey.Status.NEXT).isEmpty()) {
            keys.persist(newKey(ToolKey.Status.NEXT, now));
            keys.flush();
        }
        keys.retireActive(now);
        keys.activateNext(now);
        keys.getEntityManager().clear(); // the bulk updates bypassed entities loaded above
        ToolKey next = newKey(ToolKey.Status.NEXT, now);
        keys.persist(next);
        active.set(null);
        ToolKey current = keys.findByStatus(ToolKey.Status.ACTIVE).orElseThrow();
        LOG.infof("rotated tool keys: signing kid=%s, next kid=%s", current.kid, next.kid);
        return KeyView.of(current);
    }

    /** Rotates when the signing key is older than {@code lti.keys.rotation-period}; other replicas see it done. */
    @Transactional
    public boolean rotateIfDue() {
        locks.lockForTransaction(LOCK);
        Instant cutoff = clock.instant().minus(config.keys().rotationPeriod());
        boolean due = keys.findByStatus(ToolKey.Status.ACTIVE)
                .map(k -> k.activatedAt.isBefore(cutoff))
                .orElse(false);
        if (due) {
            rotate();
        }
        return due;
    }

    @Transactional
    public long pruneRetired() {
        return keys.deleteRetiredBefore(clock.instant().minus(config.keys().retiredOverlap()));
    }

    /** The JWKS document ({@code {"keys": [...]}}) with public parts only. */
    @Transactional
    public String jwksJson() {
        List<JsonWebKey> published = new ArrayList<>();
        for (ToolKey key : keys.published(clock.instant().minus(config.keys().retiredOverlap()))) {
            try {
                published.add(JsonWebKey.Factory.newJwk(key.publicJwk));
            } catch (JoseException e) {
                throw new IllegalStateException("stored public key " + key.kid + " is not a valid JWK", e);
            }
        }
        return new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    @Transactional
    public List<KeyView> list() {
        return keys.listAll().stream().map(KeyView::of).toList();
    }

    /** The key to sign with now. */
    @Transactional
    public SigningKey signingKey() {
        CachedActive cached = active.get();
        Instant now = clock.instant();
        if (cached != null && cached.readAt().plus(ACTIVE_KEY_CACHE).isAfter(now)) {
            return cached.key();
        }
        ToolKey key = keys.findByStatus(ToolKey.Status.ACTIVE)
                .orElseThrow(() -> new Rejection(503, "no_signing_key", "the tool has no signing key yet"));
        SigningKey signing = new SigningKey(key.kid, decrypted.computeIfAbsent(key.kid, kid -> privateKey(key)));
        active.set(new CachedActive(signing, now));
        return signing;
    }

    private PrivateKey privateKey(ToolKey key) {
        try {
            return ((PublicJsonWebKey) JsonWebKey.Factory.newJwk(encryption.decrypt(key.privateKeyJwe))).getPrivateKey();
        } catch (JoseException e) {
            throw new IllegalStateException("stored key " + key.kid + " is not a valid JWK", e);
        }
    }

    private ToolKey newKey(ToolKey.Status status, Instant now) {
        RsaJsonWebKey jwk;
        try {
            jwk = RsaJwkGenerator.generateJwk(KEY_BITS);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
        jwk.setKeyId(UUID.randomUUID().toString());
        jwk.setUse("sig");
        jwk.setAlgorithm("RS256");
        ToolKey key = new ToolKey();
        key.id = UUID.randomUUID();
        key.kid = jwk.getKeyId();
        key.status = status;
        key.publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        key.privateKeyJwe = encryption.encrypt(jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        key.createdAt = now;
        key.activatedAt = status == ToolKey.Status.ACTIVE ? now : null;
        return key;
    }
}
