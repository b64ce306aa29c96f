package org.ltipublisher.console;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the admin console ({@code lti.console.*}). */
@ConfigMapping(prefix = "lti.console")
public interface ConsoleConfig {

    /** A console session nobody used for this long is over. */
    @WithDefault("30m")
    Duration sessionIdleTimeout();

    /** A console session ends this long after sign-in, however busy. */
    @WithDefault("8h")
    Duration sessionMaxAge();

    /** How long the first start's setup link may be used. */
    @WithDefault("1h")
    Duration setupLinkTtl();

    /** Shortest password a console administrator may set. */
    @WithDefault("12")
    int minPasswordLength();

    /** Sign-in with the school's identity provider; off unless enabled. */
    Oidc oidc();

    /**
     * OpenID Connect sign-in ({@code lti.console.oidc.*}): the authorization-code flow with PKCE (RFC 7636) of
     * quarkus-oidc in web-app mode, used only on {@link ConsoleOidcResource}'s path. application.properties passes
     * enabled, auth-server-url, client-id, client-secret and state-secret on to {@code quarkus.oidc.*}, which reads
     * them at start; the console reads the rest.
     */
    interface Oidc {

        /** Whether the sign-in page offers the identity provider (also switches quarkus-oidc's tenant on). */
        @WithDefault("false")
        boolean enabled();

        /** The provider's issuer URL, e.g. https://idp.example.edu/realms/school (its discovery document is read). */
        Optional<String> authServerUrl();

        /** The client id the identity provider gave LTI Publisher. */
        Optional<String> clientId();

        /** The client's secret. */
        Optional<String> clientSecret();

        /**
         * Encrypts the short-lived state cookie (PKCE verifier, nonce) the same on every replica; needed when the
         * client secret is shorter than 32 characters and more than one replica runs.
         */
        Optional<String> stateSecret();

        /** The name the sign-in button shows: "Sign in with ...". */
        @WithDefault("your identity provider")
        String providerName();

        /** The ID token claim naming the user's groups or roles; dots walk into objects (realm_access.roles). */
        @WithDefault("groups")
        String adminClaim();

        /** Values of that claim any of which makes the user a console administrator. */
        @WithDefault("lti-admins")
        List<String> adminValue();
    }
}
