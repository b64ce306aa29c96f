package org.ltipublisher.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Puts the real PostgreSQL (and the suite's admin-token key) behind every test class of the suite,
 * @QuarkusTest and @QuarkusIntegrationTest alike (both resources are global).
 */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(AdminKeyTestResource.class)
public abstract class WithPostgres {
}
