package org.ltipublisher.grades;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.provenance.PlatformSource;
import org.ltipublisher.provenance.PlatformSources;

/**
 * The SQL of score intake that is not an entity edit: who a platform user is, which resource link a
 * platform's link id names, and the ordering and superseding of a user's scores on one link.
 */
@ApplicationScoped
public class ScoreIntakeStore {

    /** A resource link row and the published resource it shows. */
    public record LinkRow(UUID linkRowId, UUID resourceId) {
    }

    private final JdbcTemplate sql;
    private final PlatformSources platforms;

    public ScoreIntakeStore(JdbcTemplate sql, PlatformSources platforms) {
        this.sql = sql;
        this.platforms = platforms;
    }

    /** The registration or consumer of each link, for the score listings (issue 12). */
    public Map<UUID, PlatformSource> platformsOfLinks(Collection<UUID> linkRowIds) {
        return platforms.ofLinks(linkRowIds);
    }

    public Optional<UUID> accountOf(String issuer, String subject) {
        return sql.queryOne("select account_id from platform_user where issuer = ? and subject = ?",
                row -> row.getObject("account_id", UUID.class), issuer, subject);
    }

    /** The links with this platform id; {@code clientId} and {@code deploymentId} narrow it when given. */
    public List<LinkRow> links(String issuer, String linkId, String clientId, String deploymentId) {
        return sql.list("""
                select rl.id as link_row_id, rl.resource_id from resource_link rl
                join deployment d on d.id = rl.deployment_id join registration r on r.id = d.registration_id
                where r.issuer = ? and rl.resource_link_id = ?
                  and (cast(? as varchar) is null or r.client_id = ?) and (cast(? as varchar) is null or d.deployment_id = ?)
                """, row -> new LinkRow(row.getObject("link_row_id", UUID.class), row.getObject("resource_id", UUID.class)),
                issuer, linkId, clientId, clientId, deploymentId, deploymentId);
    }

    /** The timestamp of this user's newest score on this link, if any. */
    public Optional<Instant> lastScoredAt(UUID accountId, UUID linkRowId) {
        return sql.queryOne("select max(scored_at) as last_scored_at from score where account_id = ? and resource_link_id = ?",
                row -> row.getObject("last_scored_at", OffsetDateTime.class), accountId, linkRowId)
                .map(OffsetDateTime::toInstant);
    }

    /** Unsent, unleased scores of this user on this link are replaced by a newer grade. */
    public void supersedePending(UUID accountId, UUID linkRowId, Instant now) {
        sql.update("""
                update score set status = 'SUPERSEDED', last_error = 'replaced by a newer grade before sending'
                where account_id = ? and resource_link_id = ? and status = 'PENDING'
                  and (lease_expires_at is null or lease_expires_at < ?)
                """, accountId, linkRowId, now);
    }
}
