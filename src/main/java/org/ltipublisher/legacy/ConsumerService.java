package org.ltipublisher.legacy;

import org.ltipublisher.lti.ToolPaths;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;
import org.ltipublisher.keys.KeyEncryption;
import org.ltipublisher.legacy.ConsumerDtos.ConsumerRequest;
import org.ltipublisher.legacy.ConsumerDtos.ConsumerView;
import org.ltipublisher.legacy.outcomes.OutcomeConsumers;
import org.ltipublisher.web.Rejection;

/**
 * LTI 1.1 consumers: one key and secret per external LMS. The secret is stored encrypted and shown
 * only in the answer that created it; the instance GUID is learnt from the first launch.
 */
@ApplicationScoped
public class ConsumerService implements OutcomeConsumers {

    private static final Logger LOG = Logger.getLogger(ConsumerService.class);

    /** Where an LMS posts a 1.1 launch for a published resource. */
    public static final String LAUNCH_PATH_PREFIX = ToolPaths.LTI11_RESOURCE_LAUNCH_PREFIX;
    static final int MIN_SECRET_LENGTH = 16;

    private final ConsumerRepository consumers;
    private final KeyEncryption encryption;
    private final ConsumerStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ConsumerService(ConsumerRepository consumers, KeyEncryption encryption, ConsumerStore store, Clock clock) {
        this.consumers = consumers;
        this.encryption = encryption;
        this.store = store;
        this.clock = clock;
    }

    /** A consumer with its secret in plaintext, for verifying and signing OAuth 1.0a requests. */
    public record ConsumerCredentials(UUID id, String name, String consumerKey, String secret, String instanceGuid,
            ConsumerAuthMode authMode, boolean requireUserAccount, boolean enabled) {

        /** The issuer under which this consumer's users are platform users (accounts.PlatformIdentity). */
        public String issuer() {
            return Lti11Identity.issuer(id);
        }
    }

    @Transactional
    public ConsumerView create(ConsumerRequest request, String baseUrl) {
        if (request == null) {
            throw Rejection.unprocessable("missing_body", "name is required");
        }
        Consumer consumer = new Consumer();
        consumer.id = UUID.randomUUID();
        consumer.name = name(request.name());
        consumer.consumerKey = request.consumerKey() == null || request.consumerKey().isBlank()
                ? "lp-" + HexFormat.of().formatHex(randomBytes(10))
                : consumerKey(request.consumerKey());
        requireFreeKey(consumer.consumerKey, null);
        String secret = request.consumerSecret() == null || request.consumerSecret().isBlank()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32))
                : secret(request.consumerSecret());
        consumer.secretJwe = encryption.encrypt(secret);
        consumer.authMode = authMode(request.authMode(), ConsumerAuthMode.ANONYMOUS);
        consumer.requireUserAccount = Boolean.TRUE.equals(request.requireUserAccount());
        consumer.enabled = !Boolean.FALSE.equals(request.enabled());
        consumer.createdAt = consumer.updatedAt = clock.instant();
        consumers.persist(consumer);
        return view(consumer, secret, baseUrl);
    }

    /** Changes what the request names; a new secret is echoed once, like at creation. */
    @Transactional
    public ConsumerView update(UUID id, ConsumerRequest request, String baseUrl) {
        Consumer consumer = require(id);
        if (request == null) {
            throw Rejection.unprocessable("missing_body", "nothing to change");
        }
        if (request.name() != null) {
            consumer.name = name(request.name());
        }
        if (request.consumerKey() != null && !request.consumerKey().equals(consumer.consumerKey)) {
            consumer.consumerKey = consumerKey(request.consumerKey());
            requireFreeKey(consumer.consumerKey, consumer.id);
        }
        String newSecret = null;
        if (request.consumerSecret() != null) {
            newSecret = secret(request.consumerSecret());
            consumer.secretJwe = encryption.encrypt(newSecret);
        }
        consumer.authMode = authMode(request.authMode(), consumer.authMode);
        if (request.requireUserAccount() != null) {
            consumer.requireUserAccount = request.requireUserAccount();
        }
        if (request.enabled() != null) {
            consumer.enabled = request.enabled();
        }
        consumer.updatedAt = clock.instant();
        return view(consumer, newSecret, baseUrl);
    }

    @Transactional
    public List<ConsumerView> list(String baseUrl) {
        return consumers.listByName().stream().map(c -> view(c, null, baseUrl)).toList();
    }

    @Transactional
    public ConsumerView get(UUID id, String baseUrl) {
        return view(require(id), null, baseUrl);
    }

    /** Deletes the consumer with its nonces, contexts, resource links and outcome targets; accounts stay. */
    @Transactional
    public void delete(UUID id) {
        consumers.delete(require(id));
    }

    @Transactional
    public Optional<ConsumerCredentials> findByKey(String consumerKey) {
        return consumers.findByKey(consumerKey).map(this::credentials);
    }

    @Transactional
    public Optional<ConsumerCredentials> find(UUID id) {
        return consumers.findByIdOptional(id).map(this::credentials);
    }

    @Override
    @Transactional
    public Optional<OutcomeConsumer> outcomeConsumer(UUID consumerId) {
        return find(consumerId).map(c -> new OutcomeConsumer(c.id(), c.consumerKey(), c.secret()));
    }

    /**
     * Binds the consumer to the instance GUID of its first launch (Open edX back-fills it the same way).
     * Returns false when another launch bound a different GUID first.
     */
    public boolean bindInstanceGuid(UUID consumerId, String guid) {
        if (store.bindInstanceGuid(consumerId, guid, clock.instant())) {
            LOG.infof("consumer %s bound to tool_consumer_instance_guid '%s' on its first launch", consumerId, guid);
            return true;
        }
        return store.instanceGuid(consumerId).map(guid::equals).orElse(false);
    }

    private ConsumerCredentials credentials(Consumer c) {
        return new ConsumerCredentials(c.id, c.name, c.consumerKey, encryption.decrypt(c.secretJwe), c.instanceGuid,
                c.authMode, c.requireUserAccount, c.enabled);
    }

    private Consumer require(UUID id) {
        return consumers.findByIdOptional(id)
                .orElseThrow(() -> Rejection.notFound("unknown_consumer", "no LTI 1.1 consumer with id " + id));
    }

    private void requireFreeKey(String key, UUID self) {
        consumers.findByKey(key).filter(c -> !c.id.equals(self)).ifPresent(c -> {
            throw Rejection.conflict("duplicate_consumer_key",
                    "the consumer key '" + key + "' is already used by the consumer '" + c.name + "'");
        });
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw Rejection.unprocessable("missing_field", "name is required");
        }
        if (name.length() > 255) {
            throw Rejection.unprocessable("invalid_name", "name is longer than 255 characters");
        }
        return name.trim();
    }

    private static String consumerKey(String key) {
        String trimmed = key.trim();
        if (trimmed.isEmpty() || trimmed.length() > 255 || !trimmed.chars().allMatch(ch -> ch > 32 && ch < 127)) {
            throw Rejection.unprocessable("invalid_consumer_key",
                    "consumerKey must be 1 to 255 printable ASCII characters without spaces");
        }
        return trimmed;
    }

    private static String secret(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw Rejection.unprocessable("weak_consumer_secret", "consumerSecret must have at least "
                    + MIN_SECRET_LENGTH + " characters; leave it out to have one generated");
        }
        if (secret.length() > 1024) {
            throw Rejection.unprocessable("invalid_consumer_secret", "consumerSecret is longer than 1024 characters");
        }
        return secret;
    }

    private static ConsumerAuthMode authMode(String value, ConsumerAuthMode fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return ConsumerAuthMode.fromWire(value.trim()).orElseThrow(() -> Rejection.unprocessable("invalid_auth_mode",
                "authMode '" + value + "' is not one of " + ConsumerAuthMode.allowed()));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static ConsumerView view(Consumer c, String secret, String baseUrl) {
        return new ConsumerView(c.id, c.name, c.consumerKey, secret, c.authMode.wireName(), c.requireUserAccount,
                c.enabled, c.instanceGuid, baseUrl + LAUNCH_PATH_PREFIX + "{resourceId}", c.createdAt, c.updatedAt);
    }
}
