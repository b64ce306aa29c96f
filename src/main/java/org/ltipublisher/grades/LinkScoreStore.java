package org.ltipublisher.grades;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

/** A learner's newest scores on one resource link, as the sample activity lists them: the columns it shows only. */
@ApplicationScoped
public class LinkScoreStore {

    private final JdbcTemplate sql;

    public LinkScoreStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** Newest first, at most {@code limit} (index {@code score_account_resource}). */
    public List<ActivityGrades.ScoreLine> newest(UUID accountId, UUID resourceId, UUID linkRowId, int limit) {
        return sql.list("""
                select score_given, score_maximum, created_at, status from score
                where account_id = ? and resource_id = ? and resource_link_id = ?
                order by created_at desc limit ?
                """, row -> new ActivityGrades.ScoreLine(row.getBigDecimal("score_given"),
                        row.getBigDecimal("score_maximum"), row.getObject("created_at", OffsetDateTime.class).toInstant(),
                        ScoreStatus.valueOf(row.getString("status"))),
                accountId, resourceId, linkRowId, limit);
    }
}
