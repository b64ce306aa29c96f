package org.ltipublisher.keys;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Symmetric secrets shared by all replicas, created once in the database (encrypted at rest) and
 * cached in memory, since they never change.
 */
@ApplicationScoped
public class ToolSecretService {

    private final EntityManager em;
    private final KeyEncryption encryption;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<TokenPurpose, byte[]> cache = new ConcurrentHashMap<>();

    public ToolSecretService(EntityManager em, KeyEncryption encryption, Clock clock) {
        this.em = em;
        this.encryption = encryption;
        this.clock = clock;
    }

    public byte[] secret(TokenPurpose purpose) {
        return cache.computeIfAbsent(purpose, p -> QuarkusTransaction.requiringNew().call(() -> loadOrCreate(p)));
    }

    private byte[] loadOrCreate(TokenPurpose purpose) {
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        // first replica to insert wins; every replica then reads the same secret
        em.createNativeQuery("insert into tool_secret (name, secret_jwe, created_at) values (:name, :secret, :now) "
                + "on conflict (name) do nothing")
                .setParameter("name", purpose.name())
                .setParameter("secret", encryption.encrypt(Base64.getEncoder().encodeToString(fresh)))
                .setParameter("now", clock.instant())
                .executeUpdate();
        String stored = (String) em.createNativeQuery("select secret_jwe from tool_secret where name = :name")
                .setParameter("name", purpose.name())
                .getSingleResult();
        return Base64.getDecoder().decode(encryption.decrypt(stored));
    }
}
