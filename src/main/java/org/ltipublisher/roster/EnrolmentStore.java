package org.ltipublisher.roster;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.provenance.PlatformSource;
import org.ltipublisher.provenance.PlatformSources;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Reads a resource's enrolments with the account, platform user and context they belong to. */
@ApplicationScoped
public class EnrolmentStore {

    /**
     * One enrolment; {@code source} is how it was made (launch or member sync), {@code platform} the 1.3
     * registration or 1.1 consumer it came through (null for an enrolment without a context).
     */
    @RegisterForReflection
    public record EnrolmentView(UUID accountId, String username, String platformUserId, String context, String roleClass,
            String roles, String status, String source, Instant updatedAt, String name, PlatformSource platform,
            @JsonIgnore UUID contextRowId) {

        EnrolmentView withPlatform(PlatformSource source) {
            return new EnrolmentView(accountId, username, platformUserId, context, roleClass, roles, status, this.source,
                    updatedAt, name, source, contextRowId);
        }
    }

    private static final String SELECT = """
            select a.id as account_id, a.username,
                   coalesce(a.full_name, nullif(trim(concat(a.given_name, ' ', a.family_name)), ''), a.username) as name,
                   coalesce(e.platform_subject, (select p.subject from platform_user p where p.account_id = a.id
                                                 order by p.last_launch_at desc limit 1)) as platform_user_id,
                   e.context_id as context_row_id, c.context_id, e.role_class, e.roles, e.status, e.source, e.updated_at
            from enrolment e join account a on a.id = e.account_id left join lti_context c on c.id = e.context_id
            """;

    private final JdbcTemplate sql;
    private final PlatformSources sources;

    public EnrolmentStore(JdbcTemplate sql, PlatformSources sources) {
        this.sql = sql;
        this.sources = sources;
    }

    public List<EnrolmentView> forResource(UUID resourceId) {
        return withPlatforms(sql.list(SELECT + " where e.resource_id = ? order by a.username, c.context_id",
                EnrolmentStore::view, resourceId));
    }

    /** The enrolments of one context of the resource (of the resource without context when {@code contextRowId} is null). */
    public List<EnrolmentView> forContext(UUID resourceId, UUID contextRowId) {
        return withPlatforms(sql.list(SELECT + " where e.resource_id = ? and e.context_id is not distinct from cast(? as uuid)"
                + " order by name, a.username", EnrolmentStore::view, resourceId, contextRowId));
    }

    private List<EnrolmentView> withPlatforms(List<EnrolmentView> views) {
        Map<UUID, PlatformSource> platforms = sources.ofContexts(views.stream().map(EnrolmentView::contextRowId).toList());
        return views.stream().map(v -> v.withPlatform(platforms.get(v.contextRowId()))).toList();
    }

    private static EnrolmentView view(java.sql.ResultSet row) throws java.sql.SQLException {
        return new EnrolmentView(row.getObject("account_id", UUID.class), row.getString("username"),
                row.getString("platform_user_id"), row.getString("context_id"),
                row.getString("role_class").toLowerCase(), row.getString("roles"), row.getString("status").toLowerCase(),
                row.getString("source").toLowerCase(), row.getObject("updated_at", OffsetDateTime.class).toInstant(),
                row.getString("name"), null, row.getObject("context_row_id", UUID.class));
    }
}
