package org.ltipublisher.accounts;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

/**
 * Merging two accounts of one person (one made by their LTI 1.1 launches, one by their 1.3 launches) and
 * finding such pairs. A merge re-points the rows of other features that hang on an account (platform users,
 * enrolments, scores, tool sessions, roster removals) to the target and deletes the source. It runs in the
 * caller's one transaction with both account rows locked in id order: a half-done merge would leave a
 * person's history split over two accounts, and two concurrent merges of the same pair would otherwise
 * deadlock or move rows twice.
 */
@ApplicationScoped
public class AccountMergeStore {

    private final JdbcTemplate sql;
    private final Clock clock;

    public AccountMergeStore(JdbcTemplate sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** Two accounts that a matching rule says are one person: the source is merged into the target. */
    public record MergePair(UUID targetAccountId, String targetUsername, UUID sourceAccountId, String sourceUsername,
            String matchedOn) {
    }

    /** What a merge moved; {@code alreadyMerged}: the source had been merged into the target before. */
    public record Merged(UUID targetAccountId, UUID sourceAccountId, boolean alreadyMerged, int platformUsers,
            int enrolments, int duplicateEnrolments, int scores, int sessions) {
    }

    /** The locked rows: which of the two accounts still exist, by id (username). */
    public record Locked(Optional<String> targetUsername, Optional<String> sourceUsername) {
    }

    /** Locks both account rows, lower id first, so concurrent merges of one pair take turns. */
    public Locked lockPair(UUID target, UUID source) {
        List<String[]> rows = sql.list("select id::text, username from account where id in (?, ?) order by id for update",
                row -> new String[] { row.getString("id"), row.getString("username") }, target, source);
        Optional<String> t = rows.stream().filter(r -> r[0].equals(target.toString())).map(r -> r[1]).findFirst();
        Optional<String> s = rows.stream().filter(r -> r[0].equals(source.toString())).map(r -> r[1]).findFirst();
        return new Locked(t, s);
    }

    /** The account a source was merged into, if it was. */
    public Optional<UUID> mergedInto(UUID source) {
        return sql.queryOne("select target_account_id from account_merge where source_account_id = ?",
                row -> row.getObject("target_account_id", UUID.class), source);
    }

    /** Moves everything of the (locked) source to the (locked) target and deletes the source. */
    public Merged merge(UUID target, UUID source, String sourceUsername, String mergedBy, String reason) {
        // an enrolment the target has in the same resource and context already is the same enrolment twice
        int enrolments = sql.update("""
                update enrolment s set account_id = ?, updated_at = ?
                where s.account_id = ? and not exists (
                    select 1 from enrolment t where t.account_id = ? and t.resource_id = s.resource_id
                      and t.context_id is not distinct from s.context_id)
                """, target, clock.instant(), source, target);
        int duplicates = sql.update("delete from enrolment where account_id = ?", source);
        // the target's profile stays the target's: a moved platform user no longer rewrites it
        int platformUsers = sql.update("update platform_user set account_id = ?, owns_profile = false where account_id = ?",
                target, source);
        int scores = sql.update("update score set account_id = ? where account_id = ?", target, source);
        int sessions = sql.update("update tool_session set account_id = ? where account_id = ?", target, source);
        // a leaf scored by both accounts keeps the newer score (what aggregation reads: one per learner and leaf)
        sql.update("""
                delete from leaf_score s using leaf_score t
                where s.account_id = ? and t.account_id = ? and t.resource_id = s.resource_id and t.scored_at >= s.scored_at
                """, source, target);
        sql.update("""
                delete from leaf_score t using leaf_score s
                where t.account_id = ? and s.account_id = ? and s.resource_id = t.resource_id and s.scored_at > t.scored_at
                """, target, source);
        sql.update("update leaf_score set account_id = ? where account_id = ?", target, source);
        sql.update("""
                delete from nrps_removal s where s.account_id = ? and exists (
                    select 1 from nrps_removal t where t.account_id = ? and t.run_id = s.run_id and t.context_id = s.context_id)
                """, source, target);
        sql.update("update nrps_removal set account_id = ? where account_id = ?", target, source);
        // what the target lacks (a password to sign in, an e-mail, names) comes from the source
        sql.update("""
                update account t set email = coalesce(t.email, s.email), given_name = coalesce(t.given_name, s.given_name),
                    family_name = coalesce(t.family_name, s.family_name), full_name = coalesce(t.full_name, s.full_name),
                    password_hash = coalesce(t.password_hash, s.password_hash), anonymous = t.anonymous and s.anonymous
                from account s where t.id = ? and s.id = ?
                """, target, source);
        sql.update("delete from account where id = ?", source);
        String moved = "platformUsers=" + platformUsers + " enrolments=" + enrolments + " duplicateEnrolments="
                + duplicates + " scores=" + scores + " sessions=" + sessions;
        sql.update("""
                insert into account_merge (source_account_id, target_account_id, source_username, merged_by, reason, moved,
                    merged_at) values (?, ?, ?, ?, ?, ?, ?)
                """, source, target, sourceUsername, mergedBy, reason, moved, clock.instant());
        return new Merged(target, source, false, platformUsers, enrolments, duplicates, scores, sessions);
    }

    /**
     * Pairs by the same-id rule: a platform user of {@code issuer} whose subject is the user id of a platform
     * user of {@code legacyIssuer}, on two different accounts. The legacy (1.1) account is the target.
     */
    public List<MergePair> sameIdPairs(String legacyIssuer, String issuer) {
        return sql.list("""
                select la.id as target_id, la.username as target_username, na.id as source_id,
                       na.username as source_username, l.subject as matched
                from platform_user l
                join platform_user n on n.issuer = ? and n.subject = l.subject
                join account la on la.id = l.account_id
                join account na on na.id = n.account_id
                where l.issuer = ? and la.id <> na.id
                order by l.subject
                """, row -> new MergePair(row.getObject("target_id", UUID.class), row.getString("target_username"),
                row.getObject("source_id", UUID.class), row.getString("source_username"),
                "user id " + row.getString("matched")), issuer, legacyIssuer);
    }

    /**
     * Pairs by the same-email rule: accounts of the two issuers' users with the same e-mail address
     * (case-insensitive), anonymous accounts left out. An address that names more than one account on either
     * side is ambiguous and left out too: the administrator merges those by hand.
     */
    public List<MergePair> sameEmailPairs(String legacyIssuer, String issuer) {
        return sql.list("""
                with legacy as (
                    select distinct a.id, a.username, lower(a.email) as email from platform_user p
                    join account a on a.id = p.account_id
                    where p.issuer = ? and a.email is not null and not a.anonymous),
                upgraded as (
                    select distinct a.id, a.username, lower(a.email) as email from platform_user p
                    join account a on a.id = p.account_id
                    where p.issuer = ? and a.email is not null and not a.anonymous)
                select l.id as target_id, l.username as target_username, u.id as source_id,
                       u.username as source_username, l.email as matched
                from legacy l join upgraded u on u.email = l.email
                where l.id <> u.id
                  and (select count(*) from legacy x where x.email = l.email) = 1
                  and (select count(*) from upgraded y where y.email = u.email) = 1
                order by l.email
                """, row -> new MergePair(row.getObject("target_id", UUID.class), row.getString("target_username"),
                row.getObject("source_id", UUID.class), row.getString("source_username"),
                "e-mail " + row.getString("matched")), legacyIssuer, issuer);
    }

    /** The one non-anonymous account of a {@code legacyIssuer} user with this e-mail address, if exactly one. */
    public Optional<UUID> accountWithEmail(String legacyIssuer, String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        List<UUID> found = sql.list("""
                select distinct a.id from platform_user p join account a on a.id = p.account_id
                where p.issuer = ? and lower(a.email) = lower(?) and not a.anonymous
                limit 2
                """, row -> row.getObject("id", UUID.class), legacyIssuer, email.trim());
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
}
