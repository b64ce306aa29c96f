package org.ltipublisher.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Puts the real PostgreSQL behind every test class of the suite (the resource is global). */
@QuarkusTestResource(PostgresTestResource.class)
public abstract class WithPostgres {
}
