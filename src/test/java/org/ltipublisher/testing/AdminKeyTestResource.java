package org.ltipublisher.testing;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points admin-token verification at the suite's public key by file path, so the packaged jar under
 * @QuarkusIntegrationTest (which cannot see test resources on its classpath) trusts the same tokens.
 */
public class AdminKeyTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path key = Path.of(AdminKeyTestResource.class.getResource("/admin-test-public.pem").toURI());
            return Map.of("mp.jwt.verify.publickey.location", key.toUri().toString(),
                    "mp.jwt.verify.issuer", AdminApi.ISSUER);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }
}
