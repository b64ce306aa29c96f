package org.ltipublisher.roster;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Reads a resource's enrolments with the account, platform user and context they belong to. */
@ApplicationScoped
public class EnrolmentStore {

    @RegisterForReflection
    public record EnrolmentView(UUID accountId, String username, String platformUserId, String context, String roleClass,
            String roles, String status, String source, Instant updatedAt) {
    }

    private final JdbcTemplate sql;

    public EnrolmentStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    public List<EnrolmentView> forResource(UUID resourceId) {
        return sql.list("""
                select a.id as account_id, a.username,
                       coalesce(e.platform_subject, (select p.subject from platform_user p where p.account_id = a.id
                                                     order by p.last_launch_at desc limit 1)) as platform_user_id,
                       c.context_id, e.role_class, e.roles, e.status, e.source, e.updated_at
                from enrolment e join account a on a.id = e.account_id left join lti_context c on c.id = e.context_id
                where e.resource_id = ?
                order by a.username
                """, row -> new EnrolmentView(row.getObject("account_id", UUID.class), row.getString("username"),
                row.getString("platform_user_id"), row.getString("context_id"),
                row.getString("role_class").toLowerCase(), row.getString("roles"), row.getString("status").toLowerCase(),
                row.getString("source").toLowerCase(), row.getObject("updated_at", OffsetDateTime.class).toInstant()),
                resourceId);
    }
}
