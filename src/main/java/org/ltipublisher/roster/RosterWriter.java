package org.ltipublisher.roster;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.accounts.AccountService.NewLink;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.enrolment.EnrolmentRules;
import org.ltipublisher.lti.LtiRoles;
import org.ltipublisher.lti.RoleClass;

/**
 * Writes what one NRPS page says, in one transaction per page: accounts per the resource's
 * provisioning mode (only auto and anonymous create; prompt and existing-only need a user who linked
 * at launch), enrolments marked with the run that saw them, names and e-mails refreshed; the resource's
 * member sync mode and enrolment rules decide who may be added (see {@code EnrolmentRules}). Removals are
 * only noted here; {@link #unenrolAbsent} and {@link #unenrolRemoved} apply them after the last page.
 */
@ApplicationScoped
public class RosterWriter {

    /** What a page did. */
    record PageCounts(int active, int added, int skipped, int reportedGone) {
    }

    private final AccountService accounts;
    private final JdbcTemplate sql;
    private final Clock clock;
    private final EnrolmentRules rules;

    public RosterWriter(AccountService accounts, JdbcTemplate sql, Clock clock, EnrolmentRules rules) {
        this.rules = rules;
        this.accounts = accounts;
        this.sql = sql;
        this.clock = clock;
    }

    /**
     * One page in one transaction and a handful of statements, whatever its size: the accounts of all its
     * members in one read, the missing ones made in one insert, the enrolments in one upsert (one per
     * member only while the resource has enrolment rules, which count seats as they go).
     */
    @Transactional
    public PageCounts apply(RosterScope scope, List<NrpsMember> members) {
        int active = 0;
        int skipped = 0;
        int gone = 0;
        boolean enrols = scope.resource().memberSyncMode.enrols();
        List<NrpsMember> present = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (NrpsMember member : members) {
            if (member.active()) {
                active++;
                present.add(member);
            } else {
                gone++;
                // in a full read an inactive member is simply not marked, so it counts as absent
                if (scope.differences()) {
                    removed.add(member.userId());
                }
            }
        }
        if (!removed.isEmpty()) {
            // NRPS §2.4.2: a differences read reports removals as Inactive/Deleted; applied at the end
            sql.update("""
                    insert into nrps_removal (run_id, account_id, context_id)
                    select ?, pu.account_id, ? from platform_user pu where pu.issuer = ? and pu.subject = any(?::text[])
                    on conflict do nothing
                    """, scope.runId(), scope.contextRowId(), scope.issuer(), removed.toArray(String[]::new));
        }
        // first every account (platform user locks), then the enrolments (which may take the resource's seat
        // lock): a launch takes its platform user's lock before the seat lock, so the two never wait in a cycle
        Map<String, UUID> accountOf = new HashMap<>(accounts.findLinked(scope.issuer(),
                present.stream().map(m -> m.identity(scope.issuer())).toList()));
        List<NewLink> toCreate = new ArrayList<>();
        List<Seen> seen = new ArrayList<>();
        for (NrpsMember member : present) {
            if (accountOf.containsKey(member.userId())) {
                continue;
            }
            ProvisioningMode mode = scope.resource().provisioningFor(LtiRoles.classify(member.roles()));
            if (!enrols || (mode != ProvisioningMode.AUTO && mode != ProvisioningMode.ANONYMOUS)) {
                // the user chooses or proves an account at their first launch; "unenrol missing" adds nobody
                skipped++;
                continue;
            }
            toCreate.add(new NewLink(member.identity(scope.issuer()), mode == ProvisioningMode.ANONYMOUS));
        }
        accountOf.putAll(accounts.createAndLinkAll(scope.issuer(), toCreate, scope.resource().accountDefaults()));
        for (NrpsMember member : present) {
            UUID account = accountOf.get(member.userId());
            if (account != null) {
                seen.add(new Seen(member, account, LtiRoles.classify(member.roles())));
            }
        }
        if (!enrols) {
            markSeen(scope, seen);
            return new PageCounts(active, 0, skipped, gone);
        }
        if (scope.resource().hasEnrolmentRules()) {
            int added = 0;
            for (Seen s : seen) {
                if (rules.refusal(s.accountId(), scope.resource(), s.roleClass()).isPresent()) {
                    // outside the enrolment window, or the maximum is reached: as a launch would be refused
                    skipped++;
                } else if (enrol(scope, List.of(s)) > 0) {
                    added++;
                }
            }
            return new PageCounts(active, added, skipped, gone);
        }
        return new PageCounts(active, enrol(scope, seen), skipped, gone);
    }

    /** "Unenrol missing": an active enrolment is only marked as seen, so the end of the read keeps it. */
    private void markSeen(RosterScope scope, List<Seen> seen) {
        if (seen.isEmpty()) {
            return;
        }
        sql.update("""
                update enrolment e set sync_run_id = ?, platform_subject = v.subject
                from unnest(?::uuid[], ?::text[]) as v(account_id, subject)
                where e.account_id = v.account_id and e.resource_id = ? and e.context_id is not distinct from ?
                  and e.status = 'ACTIVE'
                """, scope.runId(), seen.stream().map(s -> s.accountId().toString()).toArray(String[]::new),
                seen.stream().map(s -> s.member().userId()).toArray(String[]::new), scope.resource().id,
                scope.contextRowId());
    }

    /** Upserts the enrolments of these members in one statement; returns how many are new. */
    private int enrol(RosterScope scope, List<Seen> seen) {
        // one row per account: an upsert may not touch a row twice (two subjects linked to one account: the last wins)
        Map<UUID, Seen> byAccount = new LinkedHashMap<>();
        seen.forEach(s -> byAccount.put(s.accountId(), s));
        if (byAccount.isEmpty()) {
            return 0;
        }
        List<Seen> rows = List.copyOf(byAccount.values());
        return sql.queryOne("""
                with upserted as (
                    insert into enrolment (id, account_id, resource_id, context_id, role_class, roles, status,
                        created_at, updated_at, source, platform_subject, sync_run_id)
                    select gen_random_uuid(), v.account_id, ?, ?, v.role_class, v.roles, 'ACTIVE', ?, ?, 'MEMBER_SYNC',
                        v.subject, ?
                    from unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) as v(account_id, role_class, roles, subject)
                    on conflict (account_id, resource_id, context_id) do update set
                        role_class = excluded.role_class, roles = excluded.roles, status = 'ACTIVE',
                        platform_subject = excluded.platform_subject, sync_run_id = excluded.sync_run_id,
                        updated_at = case when enrolment.status <> 'ACTIVE' or enrolment.roles <> excluded.roles
                                          then excluded.updated_at else enrolment.updated_at end
                    returning (xmax = 0) as inserted)
                select count(*) filter (where inserted) as added from upserted
                """, row -> row.getInt("added"), scope.resource().id, scope.contextRowId(), clock.instant(),
                clock.instant(), scope.runId(), rows.stream().map(s -> s.accountId().toString()).toArray(String[]::new),
                rows.stream().map(s -> s.roleClass().name()).toArray(String[]::new),
                rows.stream().map(s -> String.join(" ", s.member().roles())).toArray(String[]::new),
                rows.stream().map(s -> s.member().userId()).toArray(String[]::new)).orElse(0);
    }

    /** An active member with the account it has. */
    private record Seen(NrpsMember member, UUID accountId, RoleClass roleClass) {
    }

    /** After a complete full read: everyone of this resource and context the run did not see active. */
    @Transactional
    public int unenrolAbsent(RosterScope scope) {
        return sql.queryOne("""
                with gone as (
                    update enrolment set status = 'INACTIVE', updated_at = ?
                    where resource_id = ? and context_id = ? and status = 'ACTIVE' and sync_run_id is distinct from ?
                    returning 1)
                select count(*) as unenrolled from gone
                """, row -> row.getInt("unenrolled"), clock.instant(), scope.resource().id, scope.contextRowId(), scope.runId())
                .orElse(0);
    }

    /** After a complete differences read: the members it reported Inactive or Deleted. */
    @Transactional
    public int unenrolRemoved(RosterScope scope) {
        int removed = sql.queryOne("""
                with gone as (
                    update enrolment e set status = 'INACTIVE', updated_at = ?
                    from nrps_removal r
                    where r.run_id = ? and r.context_id = ? and e.account_id = r.account_id
                      and e.context_id = r.context_id and e.resource_id = ? and e.status = 'ACTIVE'
                    returning 1)
                select count(*) as unenrolled from gone
                """, row -> row.getInt("unenrolled"), clock.instant(), scope.runId(), scope.contextRowId(), scope.resource().id)
                .orElse(0);
        discardRemovals(scope);
        return removed;
    }

    /** A read that failed part-way unenrols nobody: its noted removals are dropped. */
    public void discardRemovals(RosterScope scope) {
        sql.update("delete from nrps_removal where run_id = ? and context_id = ?", scope.runId(), scope.contextRowId());
    }

    public long activeEnrolments(RosterScope scope) {
        return sql.queryOne("select count(*) as active from enrolment where resource_id = ? and context_id = ? and status = 'ACTIVE'",
                row -> row.getLong("active"), scope.resource().id, scope.contextRowId()).orElse(0L);
    }
}
