package org.ltipublisher.db;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Migrates the schema at start, before anything else touches the database. A restart of an up-to-date
 * schema reads one row instead of starting Flyway (about half a second of a JVM start); when the schema
 * is behind, or its history cannot be read, Flyway validates and migrates as usual, under its own lock,
 * so replicas starting together migrate once.
 */
@ApplicationScoped
public class SchemaMigration {

    /** The newest migration in {@code db/migration}; SchemaMigrationTest keeps the two in step. */
    public static final int LATEST_VERSION = 6;

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class);

    private final Sql sql;
    private final Instance<Flyway> flyway;

    public SchemaMigration(Sql sql, Instance<Flyway> flyway) {
        this.sql = sql;
        this.flyway = flyway;
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (appliedVersion() >= LATEST_VERSION) {
            LOG.debugf("schema is at version %d: nothing to migrate", LATEST_VERSION);
            return;
        }
        flyway.get().migrate();
    }

    /** The newest successfully applied version, 0 on an empty database. */
    int appliedVersion() {
        boolean hasHistory = sql.queryOne("select to_regclass('flyway_schema_history') is not null",
                row -> row.getBoolean(1)).orElse(false);
        if (!hasHistory) {
            return 0;
        }
        return sql.queryOne("""
                select coalesce(max(version::int), 0) from flyway_schema_history
                where success and version ~ '^[0-9]+$'
                """, row -> row.getInt(1)).orElse(0);
    }
}
