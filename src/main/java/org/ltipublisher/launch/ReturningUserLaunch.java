package org.ltipublisher.launch;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.accounts.Account;
import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.db.Sql;
import org.ltipublisher.resources.LaunchPlacement;
import org.ltipublisher.resources.PlacementService;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.web.Rejection;

/**
 * The common launch, a platform user already linked to an account, written in one statement: nonce,
 * link touch, profile refresh (only of an account this platform user's launch created, as
 * {@code AccountService.findLinked}), context, resource link and enrolment. Each write depends on the one
 * before it, so an unknown user writes nothing (the caller takes the general path, which may create
 * or choose an account) and a replayed nonce writes nothing either.
 *
 * <p>The statement does what {@code NonceStore}, {@code AccountService.findLinked} and
 * {@code PlacementService} do one statement at a time; one round trip instead of five is most of a
 * launch's database cost.
 */
@ApplicationScoped
public class ReturningUserLaunch {

    // Data-modifying CTEs see one snapshot and all run; each is gated on the rows its predecessor returned.
    private static final String RECORD = """
            with known as (
                select account_id from platform_user where issuer = ? and subject = ?
            ), nonce as (
                insert into lti_nonce (value, expires_at) select ?, ? from known
                on conflict do nothing
                returning 1
            ), touched as (
                update platform_user set last_launch_at = now()
                where issuer = ? and subject = ? and exists (select from nonce)
                returning account_id, owns_profile
            ), profile as (
                update account a set email = coalesce(?, a.email), given_name = coalesce(?, a.given_name),
                    family_name = coalesce(?, a.family_name), full_name = coalesce(?, a.full_name)
                from touched t
                where a.id = t.account_id and t.owns_profile and not a.anonymous
                  and (a.email is distinct from coalesce(?, a.email) or a.given_name is distinct from coalesce(?, a.given_name)
                    or a.family_name is distinct from coalesce(?, a.family_name)
                    or a.full_name is distinct from coalesce(?, a.full_name))
                returning a.id, a.email, a.given_name, a.family_name, a.full_name
            ), context as (
                insert into lti_context (id, deployment_id, context_id, label, title, types, memberships_url, updated_at)
                select gen_random_uuid(), ?, ?, ?, ?, ?, ?, now() from touched where ?::text is not null
                on conflict (deployment_id, context_id) do update set
                    label = excluded.label, title = excluded.title, types = excluded.types,
                    memberships_url = coalesce(excluded.memberships_url, lti_context.memberships_url),
                    updated_at = excluded.updated_at
                returning id
            ), link as (
                insert into resource_link (id, deployment_id, resource_link_id, resource_id, context_id, title,
                    ags_lineitems_url, ags_lineitem_url, ags_scopes, updated_at)
                select gen_random_uuid(), ?, ?, ?, (select id from context), ?, ?, ?, ?, now() from touched
                on conflict (deployment_id, resource_link_id) do update set
                    resource_id = excluded.resource_id, context_id = excluded.context_id, title = excluded.title,
                    ags_lineitems_url = excluded.ags_lineitems_url, ags_lineitem_url = excluded.ags_lineitem_url,
                    ags_scopes = excluded.ags_scopes, updated_at = excluded.updated_at
                returning id
            ), enrolled as (
                insert into enrolment (id, account_id, resource_id, context_id, role_class, roles, status, created_at,
                    updated_at)
                select gen_random_uuid(), t.account_id, ?, (select id from context), ?, ?, 'ACTIVE', now(), now()
                from touched t
                on conflict (account_id, resource_id, context_id) do update set
                    role_class = excluded.role_class, roles = excluded.roles, status = 'ACTIVE',
                    updated_at = excluded.updated_at
                returning 1
            )
            select (select count(*) from known), (select count(*) from nonce), (select count(*) from enrolled),
                a.id, a.username, coalesce(p.email, a.email), coalesce(p.given_name, a.given_name),
                coalesce(p.family_name, a.family_name), coalesce(p.full_name, a.full_name), a.anonymous,
                (select id from context), (select id from link)
            from (select 1) one
            left join touched t on true
            left join account a on a.id = t.account_id
            left join profile p on p.id = a.id
            """;

    private final Sql sql;

    public ReturningUserLaunch(Sql sql) {
        this.sql = sql;
    }

    /** What the statement wrote for a returning user. */
    public record Recorded(AccountSummary account, UUID contextRowId, UUID resourceLinkRowId) {
    }

    /**
     * Records the launch when its platform user is linked already; empty (nothing written) when not.
     * A replayed nonce is refused as {@code NonceStore} refuses it.
     */
    public Optional<Recorded> record(String nonce, Instant nonceExpiry, PlatformIdentity user, LaunchPlacement p,
            RoleClass roleClass, String roles) {
        String types = PlacementService.spaceSeparated(p.contextTypes());
        String scopes = PlacementService.spaceSeparated(p.agsScopes());
        Row row = sql.queryOne(RECORD, r -> new Row(r.getLong(1), r.getLong(2), r.getLong(3),
                r.getObject(4, UUID.class) == null ? null
                        : new AccountSummary(r.getObject(4, UUID.class), r.getString(5), r.getString(6),
                                Account.displayName(r.getString(5), r.getString(7), r.getString(8), r.getString(9)),
                                r.getBoolean(10)),
                r.getObject(11, UUID.class), r.getObject(12, UUID.class)),
                user.issuer(), user.subject(),
                nonce, nonceExpiry,
                user.issuer(), user.subject(),
                user.email(), user.givenName(), user.familyName(), user.fullName(),
                user.email(), user.givenName(), user.familyName(), user.fullName(),
                p.deploymentRowId(), p.contextId(), p.contextLabel(), p.contextTitle(), types, p.membershipsUrl(),
                p.contextId(),
                p.deploymentRowId(), p.resourceLinkId(), p.resourceId(), p.resourceLinkTitle(), p.lineItemsUrl(),
                p.lineItemUrl(), scopes,
                p.resourceId(), roleClass.name(), roles)
                .orElseThrow();
        if (row.known() == 0) {
            return Optional.empty();
        }
        if (row.consumed() == 0) {
            throw NonceStore.replayed();
        }
        if (row.enrolled() == 0 || row.account() == null) {
            // the link vanished between the statement's reads (account deleted meanwhile): roll back, try again
            throw Rejection.conflict("account_changed", "the account linked to this user changed during the launch: "
                    + "start it again from the platform");
        }
        return Optional.of(new Recorded(row.account(), row.contextRowId(), row.linkRowId()));
    }

    private record Row(long known, long consumed, long enrolled, AccountSummary account, UUID contextRowId,
            UUID linkRowId) {
    }
}
