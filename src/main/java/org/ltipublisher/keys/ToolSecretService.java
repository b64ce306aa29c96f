package org.ltipublisher.keys;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Symmetric secrets shared by all replicas, created once in the database (encrypted at rest) and
 * cached in memory, since they never change. All are loaded at start, not on first use: a launch signs its
 * hand-off token inside its transaction, where a load would take a second connection while holding the first;
 * behind PgBouncer in transaction mode the other launches of that user, waiting on its lock, can hold every
 * server connection, and that second one never comes (README "Behind PgBouncer").
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

    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(this::loadAll);
    }

    /** The purpose's secret; from memory once the service has started. */
    public byte[] secret(TokenPurpose purpose) {
        return cache.computeIfAbsent(purpose, p -> QuarkusTransaction.requiringNew().call(() -> loadOrCreate(p)));
    }

    /** One statement on a restart; the purposes without a secret yet (first start, a new purpose) create theirs. */
    private void loadAll() {
        List<Tuple> rows = em.createNativeQuery("select name, secret_jwe from tool_secret", Tuple.class)
                .getResultList();
        for (Tuple row : rows) {
            purpose(row.get("name", String.class))
                    .ifPresent(p -> cache.put(p, decode(row.get("secret_jwe", String.class))));
        }
        for (TokenPurpose purpose : TokenPurpose.values()) {
            if (!cache.containsKey(purpose)) {
                cache.put(purpose, loadOrCreate(purpose));
            }
        }
    }

    private static Optional<TokenPurpose> purpose(String name) {
        try {
            return Optional.of(TokenPurpose.valueOf(name));
        } catch (IllegalArgumentException e) {
            // a purpose a newer replica knows and this one does not (rolling update)
            return Optional.empty();
        }
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
        return decode(stored);
    }

    private byte[] decode(String stored) {
        return Base64.getDecoder().decode(encryption.decrypt(stored));
    }
}
