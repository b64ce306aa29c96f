package org.ltipublisher;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every `lti.*` setting of the tool; defaults live in application.properties. */
@ConfigMapping(prefix = "lti")
public interface LtiConfig {

    /** Public base URL behind the ingress; unset means: taken from the request and trusted X-Forwarded-* headers. */
    Optional<String> publicUrl();

    /**
     * CSP frame-ancestors sources allowed besides the registered platforms' origins, e.g. a school's own
     * LMS domain or {@code https://*.blackboard.com}: pages of platforms whose LMS runs on another host
     * than their issuer and login URL.
     */
    Optional<java.util.List<String>> frameAncestors();

    Launch launch();

    PlatformJwks platformJwks();

    Keys keys();

    Accounts accounts();

    Registration registration();

    /**
     * How long a replica may keep a registration, deployment or published resource it looked up before
     * reading it again (changes made on the same replica apply at once). 0 disables the cache.
     */
    @WithDefault("5s")
    java.time.Duration lookupCacheTtl();

    Legacy legacy();

    Admin admin();

    Db db();

    interface Db {
        /**
         * pgjdbc's prepareThreshold, which the datasource reads (application.properties): 0 behind PgBouncer in
         * transaction mode, where a named server-side prepared statement is gone in the next transaction.
         */
        int prepareThreshold();
    }

    interface Launch {
        /** Leeway for exp/iat (Security Framework §5.1.3 step 8; platforms' clocks run ahead). */
        Duration clockSkew();

        /** An id_token issued longer ago than this is refused, and nonces are kept this long. */
        Duration maxIdTokenAge();

        /** Lifetime of the signed OIDC state and of its browser cookie. */
        Duration stateTtl();

        /** Lifetime of the launch token handed to the content. */
        Duration handOffTtl();

        /** How long a user may take to choose or sign in to an account after a valid launch. */
        Duration pendingLinkTtl();
    }

    interface PlatformJwks {
        /** Used when the platform's JWKS answer carries no Cache-Control max-age. */
        Duration defaultMaxAge();

        /** An unknown kid triggers at most one refetch per registration in this interval. */
        Duration minRefetchInterval();

        /**
         * Keys are kept at least this long even when the platform answers no-cache or a shorter max-age, then
         * revalidated with a conditional request; an unknown kid still refetches at once.
         */
        Duration minCacheTime();

        Duration fetchTimeout();
    }

    interface Keys {
        /** Base64 of 32 random bytes: encrypts private keys and shared secrets at rest (env LTI_KEYS_ENCRYPTION_KEY). */
        String encryptionKey();

        /** How long a tool key signs before the scheduled rotation replaces it. */
        Duration rotationPeriod();

        /** How long a retired key stays in the JWKS after rotation. */
        Duration retiredOverlap();
    }

    interface Accounts {
        /** Domain of the generated e-mail addresses of anonymous accounts. */
        String anonymousEmailDomain();

        /** Lifetime of a local sign-in (tool session cookie and its row; sign-out deletes the row). */
        Duration sessionTtl();

        /** Failed sign-ins for one username within {@link #signInWindow()} before it answers 429. */
        @WithDefault("5")
        int signInMaxFailuresPerUser();

        /**
         * Failed sign-ins from one client address within {@link #signInWindow()} before it answers 429; high
         * enough for a school behind one NAT address, low enough to stop spraying passwords over many names.
         */
        @WithDefault("100")
        int signInMaxFailuresPerAddress();

        /** The fixed window failed sign-ins are counted in, and how long a throttled key waits at most. */
        @WithDefault("15m")
        Duration signInWindow();
    }

    interface Registration {
        /** Allow http:// and loopback platform URLs (development and tests only). */
        @WithDefault("false")
        boolean allowHttp();

        /** Lifetime of a one-time dynamic registration URL (DR 1.0 §3.1). */
        @WithDefault("1h")
        Duration tokenTtl();

        /** Connect and read timeout of each call to a platform during dynamic registration. */
        @WithDefault("10s")
        Duration fetchTimeout();

        /** Largest platform answer (configuration, registration) read during dynamic registration. */
        @WithDefault("262144")
        int maxResponseBytes();
    }

    interface Legacy {
        /** LTI 1.1 launches whose oauth_timestamp is further than this from now are refused (RFC 5849 §3.3). */
        @WithDefault("5m")
        Duration timestampWindow();

        /** Connect and answer timeout of a Basic Outcomes call to a consumer. */
        @WithDefault("10s")
        Duration outcomesTimeout();
    }

    interface Admin {
        /**
         * Longest lifetime (exp − iat) and greatest age (now − iat) of an admin API bearer token; smallrye-jwt
         * enforces it through smallrye.jwt.time-to-live and mp.jwt.verify.token.age, which take whole seconds.
         */
        Duration maxTokenLifetime();
    }
}
