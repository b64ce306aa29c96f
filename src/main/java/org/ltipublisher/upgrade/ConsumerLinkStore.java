package org.ltipublisher.upgrade;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.db.ShortLivedCache;

/** Which LTI 1.1 consumer became which 1.3 registration (table lti_consumer_link, one row per consumer). */
@ApplicationScoped
public class ConsumerLinkStore {

    private final JdbcTemplate sql;
    /** Every LTI 1.3 launch asks whether its registration has linked consumers: almost always none, rarely changed. */
    private final ShortLivedCache<UUID, List<ConsumerLink>> byRegistration;

    public ConsumerLinkStore(JdbcTemplate sql, LtiConfig config, Clock clock) {
        this.sql = sql;
        this.byRegistration = new ShortLivedCache<>(config.lookupCacheTtl(), clock);
    }

    /** {@code deploymentRowId} null: any deployment of the registration. */
    public record ConsumerLink(UUID consumerId, UUID registrationId, UUID deploymentRowId, String deploymentId,
            UserMatching matching, String linkedBy, Instant createdAt) {
    }

    public Optional<ConsumerLink> find(UUID consumerId) {
        return sql.queryOne("select * from lti_consumer_link where consumer_id = ?", ConsumerLinkStore::map, consumerId);
    }

    public List<ConsumerLink> all() {
        return sql.list("select * from lti_consumer_link order by created_at, consumer_id", ConsumerLinkStore::map);
    }

    /** From the short cache (keyed by registrations that exist: only launches of a known registration ask). */
    public List<ConsumerLink> forRegistration(UUID registrationId) {
        return byRegistration.get(registrationId, () -> Optional.of(sql.list(
                "select * from lti_consumer_link where registration_id = ? order by created_at, consumer_id",
                ConsumerLinkStore::map, registrationId))).orElseThrow();
    }

    /**
     * Saves the link; a consumer already linked to another registration keeps that link and this answers false
     * (one upsert, so two concurrent links of one consumer cannot both win).
     */
    public boolean save(ConsumerLink link) {
        byRegistration.clear();
        return sql.queryOne("""
                insert into lti_consumer_link (consumer_id, registration_id, deployment_row_id, deployment_id,
                    user_matching, linked_by, created_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (consumer_id) do update set deployment_row_id = excluded.deployment_row_id,
                    deployment_id = excluded.deployment_id, user_matching = excluded.user_matching,
                    linked_by = excluded.linked_by
                where lti_consumer_link.registration_id = excluded.registration_id
                returning consumer_id
                """, row -> row.getObject("consumer_id", UUID.class), link.consumerId(), link.registrationId(),
                link.deploymentRowId(), link.deploymentId(), link.matching().name(), link.linkedBy(), link.createdAt())
                .isPresent();
    }

    public boolean delete(UUID consumerId) {
        byRegistration.clear();
        return sql.update("delete from lti_consumer_link where consumer_id = ?", consumerId) == 1;
    }

    private static ConsumerLink map(ResultSet row) throws SQLException {
        return new ConsumerLink(row.getObject("consumer_id", UUID.class), row.getObject("registration_id", UUID.class),
                row.getObject("deployment_row_id", UUID.class), row.getString("deployment_id"),
                UserMatching.valueOf(row.getString("user_matching")), row.getString("linked_by"),
                row.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
