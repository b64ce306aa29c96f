package org.ltipublisher.legacy;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

/**
 * The one consumer write that is a conditional update rather than an admin edit: binding the instance
 * GUID of the first launch, race-free between concurrent first launches.
 */
@ApplicationScoped
public class ConsumerStore {

    private final JdbcTemplate sql;

    public ConsumerStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** True when this call bound the GUID (it was still unset). */
    public boolean bindInstanceGuid(UUID consumerId, String guid, Instant now) {
        return sql.update("update lti_consumer set instance_guid = ?, updated_at = ? where id = ? and instance_guid is null",
                guid, now, consumerId) == 1;
    }

    public Optional<String> instanceGuid(UUID consumerId) {
        return sql.queryOne("select instance_guid from lti_consumer where id = ?", row -> row.getString("instance_guid"),
                consumerId);
    }
}
