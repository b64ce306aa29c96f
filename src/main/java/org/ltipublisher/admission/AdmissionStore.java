package org.ltipublisher.admission;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.accounts.Account;
import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.admission.NamedSql.Params;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.resources.ConsumerPlacement;
import org.ltipublisher.resources.LaunchPlacement;
import org.ltipublisher.resources.Placement;
import org.ltipublisher.web.Rejection;

/**
 * The rows a launch writes: context, resource link and enrolment, one upsert each, and a returning user's
 * whole launch in one statement. The upserts are written once ({@code *_UPSERT}) and used by both: the
 * general path runs them alone, the returning user's statement chains them as data-modifying CTEs. Times come
 * from the application clock, never the database's {@code now()}.
 */
@ApplicationScoped
public class AdmissionStore {

    /** %1$s: where the row comes from ("" alone, {@code from touched} in the returning user's statement). */
    private static final String CONTEXT_UPSERT = """
            insert into lti_context (id, deployment_id, context_id, label, title, types, memberships_url, updated_at)
            select gen_random_uuid(), :deploymentRowId, :contextId, :contextLabel, :contextTitle, :contextTypes,
                :membershipsUrl, :now %1$s where cast(:contextId as text) is not null
            on conflict (deployment_id, context_id) do update set
                label = excluded.label, title = excluded.title, types = excluded.types,
                memberships_url = coalesce(excluded.memberships_url, lti_context.memberships_url),
                updated_at = excluded.updated_at
            returning id""";

    /** %1$s: the context row's id; %2$s: where the row comes from. */
    private static final String LINK_UPSERT = """
            insert into resource_link (id, deployment_id, resource_link_id, resource_id, context_id, title,
                ags_lineitems_url, ags_lineitem_url, ags_scopes, updated_at)
            select gen_random_uuid(), :deploymentRowId, :resourceLinkId, :resourceId, %1$s, :resourceLinkTitle,
                :lineItemsUrl, :lineItemUrl, :agsScopes, :now %2$s
            on conflict (deployment_id, resource_link_id) do update set
                resource_id = excluded.resource_id, context_id = excluded.context_id, title = excluded.title,
                ags_lineitems_url = excluded.ags_lineitems_url, ags_lineitem_url = excluded.ags_lineitem_url,
                ags_scopes = excluded.ags_scopes, updated_at = excluded.updated_at
            returning id""";

    /** %1$s: the account's id; %2$s: the context row's id; %3$s: where the row comes from. */
    private static final String ENROLMENT_UPSERT = """
            insert into enrolment (id, account_id, resource_id, context_id, role_class, roles, status, created_at,
                updated_at)
            select gen_random_uuid(), %1$s, :resourceId, %2$s, :roleClass, :roles, 'ACTIVE', :now, :now %3$s
            on conflict (account_id, resource_id, context_id) do update set
                role_class = excluded.role_class, roles = excluded.roles, status = 'ACTIVE',
                updated_at = excluded.updated_at""";

    private static final NamedSql CONTEXT = NamedSql.of(CONTEXT_UPSERT.formatted(""));
    private static final NamedSql LINK = NamedSql.of(LINK_UPSERT.formatted(":contextRowId", ""));
    private static final NamedSql ENROLMENT = NamedSql.of(ENROLMENT_UPSERT.formatted(":accountId", ":contextRowId", ""));

    /**
     * A returning user's launch: link touch, profile refresh (only of an account this platform user's launch
     * created, as {@code AccountService.findLinked}), context, resource link and enrolment. Each write is gated
     * on the platform user being linked ({@code touched}), so an unknown user writes nothing. Data-modifying
     * CTEs see one snapshot and all run.
     */
    private static final NamedSql RETURNING_USER = NamedSql.of(returningUser(false));

    /**
     * The same, spending the launch's nonce first ({@link NonceStore#spendingCte}), for a launch written in
     * this one statement alone (autocommit): the nonce is spent only when the platform user is linked (so a
     * first launch leaves it to the general path), and the link touch (and so every write after it) only when
     * this statement spent the nonce, so a replay writes nothing.
     */
    private static final NamedSql RETURNING_USER_SPENDING_NONCE = NamedSql.of(returningUser(true));

    private static String returningUser(boolean spendsNonce) {
        String linked = """
                linked as (
                    select 1 from platform_user where issuer = :issuer and subject = :subject
                ), """ + NonceStore.spendingCte("spent", "from linked") + ", ";
        return "with " + (spendsNonce ? linked : "") + """
                touched as (
                    update platform_user set last_launch_at = :now where issuer = :issuer and subject = :subject
                    """ + (spendsNonce ? "and exists (select 1 from spent)\n" : "") + """
                    returning account_id, owns_profile
                ), profile as (
                    update account a set email = coalesce(:email, a.email), given_name = coalesce(:givenName, a.given_name),
                        family_name = coalesce(:familyName, a.family_name), full_name = coalesce(:fullName, a.full_name)
                    from touched t
                    where a.id = t.account_id and t.owns_profile and not a.anonymous
                      and (a.email is distinct from coalesce(:email, a.email)
                        or a.given_name is distinct from coalesce(:givenName, a.given_name)
                        or a.family_name is distinct from coalesce(:familyName, a.family_name)
                        or a.full_name is distinct from coalesce(:fullName, a.full_name))
                    returning a.id, a.email, a.given_name, a.family_name, a.full_name
                ), context as (
                """ + CONTEXT_UPSERT.formatted("from touched") + """

                ), link as (
                """ + LINK_UPSERT.formatted("(select id from context)", "from touched") + """

                ), enrolled as (
                """ + ENROLMENT_UPSERT.formatted("t.account_id", "(select id from context)", "from touched t") + """

                    returning 1
                )
                select """ + (spendsNonce ? "(select count(*) from linked) as linked, (select count(*) from spent) as spent,"
                        : "(select count(*) from touched) as linked, 1 as spent,") + """
                    (select count(*) from touched) as known, (select count(*) from enrolled) as enrolled,
                    a.id as account_id, a.username, coalesce(p.email, a.email) as email,
                    coalesce(p.given_name, a.given_name) as given_name, coalesce(p.family_name, a.family_name) as family_name,
                    coalesce(p.full_name, a.full_name) as full_name, a.anonymous,
                    (select id from context) as context_row_id, (select id from link) as link_row_id
                from (select 1) one
                left join touched t on true
                left join account a on a.id = t.account_id
                left join profile p on p.id = a.id
                """;
    }

    private final JdbcTemplate sql;
    private final NonceStore nonces;
    private final Clock clock;

    public AdmissionStore(JdbcTemplate sql, NonceStore nonces, Clock clock) {
        this.sql = sql;
        this.nonces = nonces;
        this.clock = clock;
    }

    /** The placement's context and resource link rows. */
    public record PlacementIds(UUID contextRowId, UUID resourceLinkRowId) {
    }

    /** What the one statement wrote for a returning user. */
    public record ReturningUser(AccountSummary account, PlacementIds placement) {
    }

    /** The placement's context and resource link rows, created or refreshed. */
    public PlacementIds record(Placement placement) {
        return switch (placement) {
            case LaunchPlacement p -> record(p);
            case ConsumerPlacement p -> record(p);
        };
    }

    private PlacementIds record(LaunchPlacement p) {
        Params params = placementParams(p, clock.instant());
        UUID contextRowId = sql.queryOne(CONTEXT.sql(), r -> r.getObject("id", UUID.class), CONTEXT.bind(params))
                .orElse(null);
        UUID linkRowId = sql.returningId(LINK.sql(), LINK.bind(params.set("contextRowId", contextRowId)));
        return new PlacementIds(contextRowId, linkRowId);
    }

    /** An LTI 1.1 launch's rows: unique per consumer instead of per deployment, no LTI Advantage endpoints. */
    private PlacementIds record(ConsumerPlacement p) {
        Instant now = clock.instant();
        UUID contextRowId = p.contextId() == null ? null : sql.returningId("""
                insert into lti_context (id, consumer_id, context_id, label, title, types, updated_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (consumer_id, context_id) do update set
                    label = excluded.label, title = excluded.title, types = excluded.types,
                    updated_at = excluded.updated_at
                returning id
                """, UUID.randomUUID(), p.consumerRowId(), p.contextId(), p.contextLabel(), p.contextTitle(),
                spaceSeparated(p.contextTypes()), now);
        UUID linkRowId = sql.returningId("""
                insert into resource_link (id, consumer_id, resource_link_id, resource_id, context_id, title, updated_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (consumer_id, resource_link_id) do update set
                    resource_id = excluded.resource_id, context_id = excluded.context_id, title = excluded.title,
                    updated_at = excluded.updated_at
                returning id
                """, UUID.randomUUID(), p.consumerRowId(), p.resourceLinkId(), p.resourceId(), contextRowId,
                p.resourceLinkTitle(), now);
        return new PlacementIds(contextRowId, linkRowId);
    }

    /** Enrols (or re-activates) the account in the resource within the context, with the launch's roles. */
    public void enrol(UUID accountId, UUID resourceId, UUID contextRowId, RoleClass roleClass, String roles) {
        Params params = new Params().set("accountId", accountId).set("resourceId", resourceId)
                .set("contextRowId", contextRowId).set("roleClass", roleClass.name()).set("roles", roles)
                .set("now", clock.instant());
        sql.update(ENROLMENT.sql(), ENROLMENT.bind(params));
    }

    /**
     * Records the launch when its platform user is linked already; empty (nothing written) when not, and the
     * caller takes the general path, which may create or choose an account. With a {@code nonce} (else null,
     * spent by the caller's transaction) the same statement spends it, so the launch needs no transaction:
     * empty leaves it unspent then, and a replayed nonce is refused with nothing written.
     */
    public Optional<ReturningUser> recordReturningUser(PlatformIdentity user, LaunchPlacement p, RoleClass roleClass,
            String roles, LaunchNonce nonce) {
        Params params = placementParams(p, clock.instant()).set("issuer", user.issuer()).set("subject", user.subject())
                .set("email", user.email()).set("givenName", user.givenName()).set("familyName", user.familyName())
                .set("fullName", user.fullName()).set("roleClass", roleClass.name()).set("roles", roles);
        NamedSql statement = nonce == null ? RETURNING_USER : RETURNING_USER_SPENDING_NONCE;
        Row row = sql.queryOne(statement.sql(), r -> {
            UUID accountId = r.getObject("account_id", UUID.class);
            String username = r.getString("username");
            return new Row(r.getLong("linked"), r.getLong("spent"), r.getLong("known"), r.getLong("enrolled"),
                    accountId == null ? null
                    : new AccountSummary(accountId, username, r.getString("email"),
                            Account.displayName(username, r.getString("given_name"), r.getString("family_name"),
                                    r.getString("full_name")),
                            r.getBoolean("anonymous")),
                    new PlacementIds(r.getObject("context_row_id", UUID.class), r.getObject("link_row_id", UUID.class)));
        }, statement.bind(nonce == null ? params : NonceStore.bind(nonce, params))).orElseThrow();
        if (row.linked() == 0) {
            return Optional.empty();
        }
        if (nonce != null) {
            nonces.spentInStatement(nonce, row.spent() > 0);
        }
        if (row.known() == 0) {
            // unlinked (account deleted) after the statement's snapshot: the general path, the nonce spent already
            return Optional.empty();
        }
        if (row.enrolled() == 0 || row.account() == null) {
            // the link vanished between the statement's reads (account deleted meanwhile): a transaction rolls
            // back; in autocommit what was written are upserts the launch started again repeats
            throw Rejection.conflict("account_changed", "the account linked to this user changed during the launch: "
                    + "start it again from the platform");
        }
        return Optional.of(new ReturningUser(row.account(), row.placement()));
    }

    private record Row(long linked, long spent, long known, long enrolled, AccountSummary account, PlacementIds placement) {
    }

    /** A resource link this tool has seen launched in a deployment. */
    public record KnownLink(UUID linkRowId, UUID resourceId, String title) {
    }

    public Optional<KnownLink> findLink(UUID deploymentRowId, String resourceLinkId) {
        return sql.queryOne("""
                select id, resource_id, title from resource_link where deployment_id = ? and resource_link_id = ?
                """, r -> new KnownLink(r.getObject("id", UUID.class), r.getObject("resource_id", UUID.class),
                r.getString("title")), deploymentRowId, resourceLinkId);
    }

    /** Whether this platform user ever launched the tool (reads only: no link touch). */
    public boolean knowsPlatformUser(String issuer, String subject) {
        return sql.queryOne("select 1 as known from platform_user where issuer = ? and subject = ?",
                r -> r.getInt("known"), issuer, subject).isPresent();
    }

    private static Params placementParams(LaunchPlacement p, Instant now) {
        return new Params().set("deploymentRowId", p.deploymentRowId()).set("contextId", p.contextId())
                .set("contextLabel", p.contextLabel()).set("contextTitle", p.contextTitle())
                .set("contextTypes", spaceSeparated(p.contextTypes())).set("membershipsUrl", p.membershipsUrl())
                .set("resourceLinkId", p.resourceLinkId()).set("resourceId", p.resourceId())
                .set("resourceLinkTitle", p.resourceLinkTitle()).set("lineItemsUrl", p.lineItemsUrl())
                .set("lineItemUrl", p.lineItemUrl()).set("agsScopes", spaceSeparated(p.agsScopes())).set("now", now);
    }

    /** Context types and AGS scopes are stored space-separated, null when there are none. */
    static String spaceSeparated(List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(" ", values);
    }
}
