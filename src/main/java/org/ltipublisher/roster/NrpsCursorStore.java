package org.ltipublisher.roster;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.platform.PlatformTarget;

/**
 * What member sync reads and remembers per context: where the roster is (the namesroleservice claim of
 * a launch, LTI NRPS 2.0) and the {@code rel="differences"} URL the last full read left.
 */
@ApplicationScoped
public class NrpsCursorStore {

    /** A context the resource was launched from, with its roster URL and the platform that serves it. */
    public record Placement(UUID contextRowId, String membershipsUrl, String resourceLinkId, PlatformTarget platform) {
    }

    private final JdbcTemplate sql;

    public NrpsCursorStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    public List<Placement> placements(UUID resourceId) {
        return sql.list("""
                select c.id as context_row_id, c.memberships_url, min(rl.resource_link_id) as resource_link_id,
                       r.id as registration_id, r.issuer, r.client_id, r.access_token_url, r.token_audience
                from resource_link rl
                join lti_context c on c.id = rl.context_id
                join deployment d on d.id = c.deployment_id
                join registration r on r.id = d.registration_id
                where rl.resource_id = ? and c.memberships_url is not null
                group by c.id, c.memberships_url, r.id
                """, row -> new Placement(row.getObject("context_row_id", UUID.class), row.getString("memberships_url"),
                row.getString("resource_link_id"), new PlatformTarget(row.getObject("registration_id", UUID.class),
                        row.getString("issuer"), row.getString("client_id"), row.getString("access_token_url"),
                        row.getString("token_audience"))), resourceId);
    }

    /** The differences URL left by a full read done after {@code fullReadAfter}, if any. */
    public Optional<String> differencesUrl(UUID resourceId, UUID contextRowId, Instant fullReadAfter) {
        return sql.queryOne("""
                select differences_url from nrps_cursor
                where resource_id = ? and context_id = ? and differences_url is not null and full_read_at > ?
                """, row -> row.getString("differences_url"), resourceId, contextRowId, fullReadAfter);
    }

    /** Remembers the next differences URL; {@code fullReadAt} null keeps the time of the last full read. */
    public void save(UUID resourceId, UUID contextRowId, String differencesUrl, Instant fullReadAt) {
        sql.update("""
                insert into nrps_cursor (resource_id, context_id, differences_url, full_read_at) values (?, ?, ?, ?)
                on conflict (resource_id, context_id) do update set differences_url = excluded.differences_url,
                    full_read_at = coalesce(excluded.full_read_at, nrps_cursor.full_read_at)
                """, resourceId, contextRowId, differencesUrl, fullReadAt);
    }
}
