package org.ltipublisher.enrolment;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

/** The reads the enrolment rules decide on; the seat lock is the resource's row. */
@ApplicationScoped
public class EnrolmentRuleStore {

    private final JdbcTemplate sql;

    public EnrolmentRuleStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** A learner's standing in a resource: whether actively enrolled (any context), and since when enrolled at all. */
    public record Standing(boolean active, Instant firstEnrolledAt) {
    }

    /**
     * Locks the resource's row until the transaction ends and reads its current maximum: every new learner
     * enrolment of a capped resource takes this lock first, so counting seats and taking one are atomic.
     */
    public int lockSeats(UUID resourceId) {
        return sql.queryOne("select max_enrolled from published_resource where id = ? for update",
                row -> row.getInt("max_enrolled"), resourceId).orElse(0);
    }

    public Standing standing(UUID accountId, UUID resourceId) {
        return sql.queryOne("""
                select coalesce(bool_or(status = 'ACTIVE'), false) as active, min(created_at) as first_enrolled_at
                from enrolment where account_id = ? and resource_id = ?
                """, row -> {
            OffsetDateTime first = row.getObject("first_enrolled_at", OffsetDateTime.class);
            return new Standing(row.getBoolean("active"), first == null ? null : first.toInstant());
        }, accountId, resourceId).orElse(new Standing(false, null));
    }

    /** Learners holding a seat: accounts actively enrolled as learners in the resource, in any context. */
    public long activeLearners(UUID resourceId) {
        return sql.queryOne("""
                select count(distinct account_id) as learners from enrolment
                where resource_id = ? and status = 'ACTIVE' and role_class = 'LEARNER'
                """, row -> row.getLong("learners"), resourceId).orElse(0L);
    }
}
