package org.ltipublisher.console;

import java.util.List;

import org.ltipublisher.testing.IdentityProviderTestResource;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The console with sign-in through the school's identity provider (the simulated one). One profile for every such
 * test class, so Quarkus restarts once for them.
 */
public class ConsoleOidcProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(IdentityProviderTestResource.class));
    }
}
