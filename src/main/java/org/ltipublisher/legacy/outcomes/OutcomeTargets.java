package org.ltipublisher.legacy.outcomes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.db.JdbcTemplate;

/**
 * The Basic Outcomes targets remembered from LTI 1.1 launches, one per user and resource link; the
 * newest launch's sourcedid wins (consumers such as Canvas reissue it).
 */
@ApplicationScoped
public class OutcomeTargets {

    private static final String COLUMNS = "t.id, t.consumer_id, t.resource_link_id, t.lti_user_id, t.service_url, "
            + "t.sourcedid, t.updated_at";

    /** How LTI 1.1 users are keyed as platform users: this prefix and the consumer's id are their issuer. */
    public static final String LTI11_ISSUER_PREFIX = "urn:lti-publisher:lti11-consumer:";

    private final JdbcTemplate sql;
    private final Clock clock;

    public OutcomeTargets(JdbcTemplate sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    public void remember(UUID consumerId, UUID resourceLinkRowId, String ltiUserId, String serviceUrl, String sourcedId) {
        sql.update("""
                insert into lti11_outcome_target (id, consumer_id, resource_link_id, lti_user_id, service_url, sourcedid,
                    updated_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (resource_link_id, lti_user_id) do update set
                    consumer_id = excluded.consumer_id, service_url = excluded.service_url,
                    sourcedid = excluded.sourcedid, updated_at = excluded.updated_at
                """, UUID.randomUUID(), consumerId, resourceLinkRowId, ltiUserId, serviceUrl, sourcedId, clock.instant());
    }

    @Transactional
    public Optional<OutcomeTarget> find(UUID targetId) {
        return sql.queryOne("select " + COLUMNS + " from lti11_outcome_target t where t.id = ?", OutcomeTargets::map,
                targetId);
    }

    /**
     * The target for a score of this account on this resource link (what a grade sender asks): the 1.1 user
     * is found through the account's link to that consumer's platform user.
     */
    @Transactional
    public Optional<OutcomeTarget> forAccount(UUID accountId, UUID resourceLinkRowId) {
        return sql.queryOne("select " + COLUMNS + """
                 from lti11_outcome_target t
                join platform_user p on p.issuer = ? || t.consumer_id::text and p.subject = t.lti_user_id
                where p.account_id = ? and t.resource_link_id = ?
                order by t.updated_at desc limit 1
                """, OutcomeTargets::map, LTI11_ISSUER_PREFIX, accountId, resourceLinkRowId);
    }

    /**
     * The target of one LTI 1.1 user on one resource link (unique per link and user): what the grades
     * outbox asks for a score whose link belongs to a consumer.
     */
    @Transactional
    public Optional<OutcomeTarget> forUser(UUID resourceLinkRowId, String ltiUserId) {
        return sql.queryOne("select " + COLUMNS + " from lti11_outcome_target t "
                + "where t.resource_link_id = ? and t.lti_user_id = ?", OutcomeTargets::map, resourceLinkRowId,
                ltiUserId);
    }

    @Transactional
    public List<OutcomeTarget> forConsumer(UUID consumerId) {
        return sql.list("select " + COLUMNS + " from lti11_outcome_target t where t.consumer_id = ? "
                + "order by t.updated_at desc, t.id", OutcomeTargets::map, consumerId);
    }

    private static OutcomeTarget map(ResultSet row) throws SQLException {
        return new OutcomeTarget(row.getObject("id", UUID.class), row.getObject("consumer_id", UUID.class),
                row.getObject("resource_link_id", UUID.class), row.getString("lti_user_id"), row.getString("service_url"),
                row.getString("sourcedid"), row.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
