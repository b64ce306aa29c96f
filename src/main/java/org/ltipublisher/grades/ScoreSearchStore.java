package org.ltipublisher.grades;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.provenance.PlatformSource;

/**
 * The scores an administrator looks for in the outbox, by {@link ScoreFilter}. Every filter value is a bound
 * parameter; a filter left out is a null parameter that lets every row through, so the statement text never
 * changes with the input.
 */
@ApplicationScoped
public class ScoreSearchStore {

    /** The filter's conditions; each takes its parameters in the order {@link #parameters} gives them. */
    private static final String MATCHING = """
            where (cast(? as varchar) is null or s.status = ?)
              and (? = false or s.last_error is not null)
              and (cast(? as uuid) is null or exists (
                   select 1 from resource_link rl join deployment d on d.id = rl.deployment_id
                   where rl.id = s.resource_link_id and d.registration_id = ?))
              and (cast(? as uuid) is null or s.resource_id = ?)
              and (cast(? as varchar) is null or s.platform_subject = ? or s.account_id = ?)
            """;

    private final JdbcTemplate sql;

    public ScoreSearchStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** One page of matching scores, newest first; {@code limit} rows from {@code offset}. */
    public List<ScoreDtos.ScoreView> find(ScoreFilter filter, int limit, int offset) {
        return sql.list("""
                select s.id, s.status, s.platform_issuer, s.platform_subject, s.account_id, s.resource_id,
                       s.resource_link_id, s.score_given, s.score_maximum, s.comment, s.activity_progress,
                       s.grading_progress, s.scored_at, s.attempts, s.next_attempt_at, s.last_error, s.sent_at,
                       s.created_at, s.origin, s.replayed_as
                from score s
                """ + MATCHING + """
                order by s.created_at desc, s.id desc
                limit ? offset ?
                """, ScoreSearchStore::view, parameters(filter, limit, offset));
    }

    /**
     * Failed scores matching the filter that are not replayed and still the newest of their learner on their
     * link (a newer grade already reached the outbox otherwise), oldest first, at most {@code limit}.
     */
    public List<UUID> failedToReplay(ScoreFilter filter, int limit) {
        ScoreFilter failed = new ScoreFilter(ScoreStatus.FAILED, false, filter.registrationId(), filter.resourceId(),
                filter.user(), 1);
        return sql.list("""
                select s.id from score s
                """ + MATCHING + """
                  and s.replayed_as is null
                  and not exists (select 1 from score n where n.account_id = s.account_id
                      and n.resource_id = s.resource_id and n.resource_link_id = s.resource_link_id
                      and n.created_at > s.created_at)
                order by s.created_at, s.scored_at
                limit ? offset ?
                """, row -> row.getObject("id", UUID.class), parameters(failed, limit, 0));
    }

    private static Object[] parameters(ScoreFilter f, int limit, int offset) {
        String status = f.status() == null ? null : f.status().name();
        return new Object[] { status, status, f.retrying(), f.registrationId(), f.registrationId(), f.resourceId(),
                f.resourceId(), f.user(), f.user(), f.userAsAccount(), limit, offset };
    }

    /** A row as the score API shows it; the platform is added by the caller (it comes from provenance). */
    private static ScoreDtos.ScoreView view(ResultSet row) throws SQLException {
        String status = row.getString("status").toLowerCase(Locale.ROOT);
        return new ScoreDtos.ScoreView(row.getObject("id", UUID.class), status, row.getString("platform_issuer"),
                row.getString("platform_subject"), row.getObject("account_id", UUID.class),
                row.getObject("resource_id", UUID.class), row.getObject("resource_link_id", UUID.class),
                row.getBigDecimal("score_given"), row.getBigDecimal("score_maximum"), row.getString("comment"),
                row.getString("activity_progress"), row.getString("grading_progress"), instant(row, "scored_at"),
                row.getInt("attempts"), "pending".equals(status) ? instant(row, "next_attempt_at") : null,
                row.getString("last_error"), instant(row, "sent_at"), instant(row, "created_at"),
                row.getString("origin").toLowerCase(Locale.ROOT), (PlatformSource) null, null,
                row.getObject("replayed_as", UUID.class));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
