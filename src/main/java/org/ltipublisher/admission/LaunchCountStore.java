package org.ltipublisher.admission;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code launch_count} hour buckets every replica adds its in-memory counts to. Adding is one
 * {@code INSERT … ON CONFLICT DO UPDATE SET count = count + excluded.count} for a whole flush, so replicas
 * flushing the same bucket at once both land (PostgreSQL serialises the conflicting rows).
 */
@ApplicationScoped
public class LaunchCountStore {

    /** One bucket's count: {@code hour} is the start of the UTC hour; {@code reason} is '' unless refused. */
    public record HourCount(Instant hour, String outcome, String reason, long count) {
    }

    /** A total over the period asked for. */
    @RegisterForReflection
    public record Total(String outcome, String reason, long count) {

        /** An LTI 1.1 launch's outcome (else LTI 1.3). */
        public boolean lti11() {
            return outcome.startsWith(LaunchTally.LTI11);
        }

        /** The outcome as an administrator reads it. */
        public String label() {
            String what = switch (lti11() ? outcome.substring(LaunchTally.LTI11.length()) : outcome) {
                case "launched" -> "Launched into the content";
                case "account_choice" -> "Account choice page";
                case "content_selection" -> "Deep linking (content selection)";
                case "submission_review" -> "Submission review";
                case LaunchTally.REFUSED -> "Refused";
                default -> outcome;
            };
            return (lti11() ? "LTI 1.1: " : "LTI 1.3: ") + what;
        }
    }

    private final JdbcTemplate sql;

    public LaunchCountStore(JdbcTemplate sql) {
        this.sql = sql;
    }

    /**
     * Adds the counts in one statement. The rows go in key order, so two replicas' upserts lock the rows they
     * share in the same order and cannot deadlock; the caller hands each bucket once.
     */
    public void add(List<HourCount> counts) {
        if (counts.isEmpty()) {
            return;
        }
        int n = counts.size();
        long[] hours = new long[n];
        String[] outcomes = new String[n];
        String[] reasons = new String[n];
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            HourCount c = counts.get(i);
            hours[i] = c.hour().getEpochSecond();
            outcomes[i] = c.outcome();
            reasons[i] = c.reason();
            values[i] = c.count();
        }
        sql.update("""
                insert into launch_count (hour, outcome, reason, count)
                select to_timestamp(t.hour), t.outcome, t.reason, t.count
                from unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::bigint[]) as t(hour, outcome, reason, count)
                order by t.hour, t.outcome, t.reason
                on conflict (hour, outcome, reason) do update set count = launch_count.count + excluded.count
                """, hours, outcomes, reasons, values);
    }

    /** Totals by outcome and reason of the buckets from {@code from} (an hour start) on, largest first. */
    public List<Total> since(Instant from) {
        return sql.list("""
                select outcome, reason, sum(count) as total from launch_count where hour >= ?
                group by outcome, reason order by total desc, outcome, reason
                """, row -> new Total(row.getString("outcome"), row.getString("reason"), row.getLong("total")), from);
    }
}
