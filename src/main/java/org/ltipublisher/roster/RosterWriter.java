package org.ltipublisher.roster;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.lti.LtiRoles;
import org.ltipublisher.lti.RoleClass;

/**
 * Writes what one NRPS page says, in one transaction per page: accounts per the resource's
 * provisioning mode (only auto and anonymous create; prompt and existing-only need a user who linked
 * at launch), enrolments marked with the run that saw them, names and e-mails refreshed. Removals are
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

    public RosterWriter(AccountService accounts, JdbcTemplate sql, Clock clock) {
        this.accounts = accounts;
        this.sql = sql;
        this.clock = clock;
    }

    @Transactional
    public PageCounts apply(RosterScope scope, List<NrpsMember> members) {
        int active = 0;
        int added = 0;
        int skipped = 0;
        int gone = 0;
        for (NrpsMember member : members) {
            if (!member.active()) {
                gone++;
                if (scope.differences()) {
                    // NRPS §2.4.2: a differences read reports removals as Inactive/Deleted; applied at the end
                    linkedAccount(scope.issuer(), member.userId()).ifPresent(account -> sql.update("""
                            insert into nrps_removal (run_id, account_id, context_id) values (?, ?, ?)
                            on conflict do nothing
                            """, scope.runId(), account, scope.contextRowId()));
                }
                continue; // in a full read an inactive member is simply not marked, so it counts as absent
            }
            active++;
            RoleClass roleClass = LtiRoles.classify(member.roles());
            Optional<AccountSummary> account = accounts.findLinked(member.identity(scope.issuer()));
            if (account.isEmpty()) {
                ProvisioningMode mode = scope.resource().provisioningFor(roleClass);
                if (mode != ProvisioningMode.AUTO && mode != ProvisioningMode.ANONYMOUS) {
                    skipped++; // the user chooses or proves an account at their first launch
                    continue;
                }
                account = Optional.of(accounts.createAndLink(member.identity(scope.issuer()),
                        mode == ProvisioningMode.ANONYMOUS));
            }
            boolean inserted = sql.queryOne("""
                    insert into enrolment (id, account_id, resource_id, context_id, role_class, roles, status,
                        created_at, updated_at, source, platform_subject, sync_run_id)
                    values (?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, 'MEMBER_SYNC', ?, ?)
                    on conflict (account_id, resource_id, context_id) do update set
                        role_class = excluded.role_class, roles = excluded.roles, status = 'ACTIVE',
                        platform_subject = excluded.platform_subject, sync_run_id = excluded.sync_run_id,
                        updated_at = case when enrolment.status <> 'ACTIVE' or enrolment.roles <> excluded.roles
                                          then excluded.updated_at else enrolment.updated_at end
                    returning (xmax = 0) as inserted
                    """, row -> row.getBoolean("inserted"), UUID.randomUUID(), account.get().id(), scope.resource().id,
                    scope.contextRowId(), roleClass.name(), String.join(" ", member.roles()), clock.instant(),
                    clock.instant(), member.userId(), scope.runId()).orElse(false);
            if (inserted) {
                added++;
            }
        }
        return new PageCounts(active, added, skipped, gone);
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

    private Optional<UUID> linkedAccount(String issuer, String subject) {
        return sql.queryOne("select account_id from platform_user where issuer = ? and subject = ?",
                row -> row.getObject("account_id", UUID.class), issuer, subject);
    }
}
