package org.ltipublisher.grades;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.ExpiredRows;
import org.ltipublisher.db.JdbcTemplate;

/**
 * Outbox rows that have done their work: sent or superseded scores recorded before the retention
 * ({@code lti.retention.sent-scores}) that have a newer sent score of the same learner, resource and link, or whose
 * link is gone. Pending (also retrying) and failed scores never go, nor the newest sent one of a learner and link
 * whatever its age: grade sync compares with it, the instructor view shows it, and AGS timestamps must keep
 * increasing after it (within one statement the chain of newer rows ends at it). Their
 * {@code score_contribution} rows go with them (on delete cascade).
 */
@ApplicationScoped
class DeliveredScores implements ExpiredRows {

    private final JdbcTemplate sql;

    DeliveredScores(JdbcTemplate sql) {
        this.sql = sql;
    }

    @Override
    public String table() {
        return "score";
    }

    @Override
    public int deleteBatch(Cutoffs cutoffs, int limit) {
        return sql.update("""
                delete from score where id in (
                    select s.id from score s
                    where s.status in ('SENT', 'SUPERSEDED') and s.created_at < ?
                      and (s.resource_link_id is null or exists (
                          select 1 from score n
                          where n.account_id = s.account_id and n.resource_link_id = s.resource_link_id
                            and n.resource_id = s.resource_id and n.status = 'SENT'
                            and n.scored_at > s.scored_at and n.created_at > s.created_at))
                    limit ?)
                  and status in ('SENT', 'SUPERSEDED') and created_at < ?
                """, cutoffs.sentScoresBefore(), limit, cutoffs.sentScoresBefore());
    }
}
