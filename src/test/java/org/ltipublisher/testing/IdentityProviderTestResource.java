package org.ltipublisher.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts an {@link IdentityProviderSimulator} before Quarkus (quarkus-oidc reads its discovery document at start),
 * turns the console's OpenID Connect sign-in on against it, and hands it to the test's field of its type.
 */
public class IdentityProviderTestResource implements QuarkusTestResourceLifecycleManager {

    private IdentityProviderSimulator provider;

    @Override
    public Map<String, String> start() {
        provider = new IdentityProviderSimulator();
        return Map.of("lti.console.oidc.enabled", "true",
                "lti.console.oidc.auth-server-url", provider.issuer(),
                "lti.console.oidc.client-id", IdentityProviderSimulator.CLIENT_ID,
                "lti.console.oidc.client-secret", IdentityProviderSimulator.CLIENT_SECRET,
                "lti.console.oidc.provider-name", "School IdP",
                "lti.console.oidc.admin-claim", "realm_access.roles",
                "lti.console.oidc.admin-value", "lti-admins,console-admins");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(provider, new TestInjector.MatchesType(IdentityProviderSimulator.class));
    }

    @Override
    public void stop() {
        if (provider != null) {
            provider.close();
        }
    }
}
