package org.ltipublisher.resources;

import org.ltipublisher.lti.RoleClass;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.Sql;

/**
 * Records contexts, resource links and enrolments seen at launch, one upsert each, so a launch costs
 * a handful of statements whatever it finds.
 */
@ApplicationScoped
public class PlacementService {

    private final Sql sql;
    private final Clock clock;

    public PlacementService(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** The placement's context and resource link rows, created or refreshed. */
    public PlacementIds record(LaunchPlacement p) {
        UUID contextRowId = p.contextId() == null ? null : sql.returningId("""
                insert into lti_context (id, deployment_id, context_id, label, title, types, memberships_url, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (deployment_id, context_id) do update set
                    label = excluded.label, title = excluded.title, types = excluded.types,
                    memberships_url = coalesce(excluded.memberships_url, lti_context.memberships_url),
                    updated_at = excluded.updated_at
                returning id
                """, UUID.randomUUID(), p.deploymentRowId(), p.contextId(), p.contextLabel(), p.contextTitle(),
                spaceSeparated(p.contextTypes()),
                p.membershipsUrl(), clock.instant());
        UUID linkRowId = sql.returningId("""
                insert into resource_link (id, deployment_id, resource_link_id, resource_id, context_id, title,
                    ags_lineitems_url, ags_lineitem_url, ags_scopes, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (deployment_id, resource_link_id) do update set
                    resource_id = excluded.resource_id, context_id = excluded.context_id, title = excluded.title,
                    ags_lineitems_url = excluded.ags_lineitems_url, ags_lineitem_url = excluded.ags_lineitem_url,
                    ags_scopes = excluded.ags_scopes, updated_at = excluded.updated_at
                returning id
                """, UUID.randomUUID(), p.deploymentRowId(), p.resourceLinkId(), p.resourceId(), contextRowId,
                p.resourceLinkTitle(), p.lineItemsUrl(), p.lineItemUrl(),
                spaceSeparated(p.agsScopes()),
                clock.instant());
        return new PlacementIds(contextRowId, linkRowId);
    }

    /** The context and resource link rows of an LTI 1.1 launch, unique per consumer instead of per deployment. */
    public PlacementIds recordForConsumer(ConsumerPlacement p) {
        UUID contextRowId = p.contextId() == null ? null : sql.returningId("""
                insert into lti_context (id, consumer_id, context_id, label, title, types, updated_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (consumer_id, context_id) do update set
                    label = excluded.label, title = excluded.title, types = excluded.types,
                    updated_at = excluded.updated_at
                returning id
                """, UUID.randomUUID(), p.consumerRowId(), p.contextId(), p.contextLabel(), p.contextTitle(),
                spaceSeparated(p.contextTypes()),
                clock.instant());
        UUID linkRowId = sql.returningId("""
                insert into resource_link (id, consumer_id, resource_link_id, resource_id, context_id, title, updated_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (consumer_id, resource_link_id) do update set
                    resource_id = excluded.resource_id, context_id = excluded.context_id, title = excluded.title,
                    updated_at = excluded.updated_at
                returning id
                """, UUID.randomUUID(), p.consumerRowId(), p.resourceLinkId(), p.resourceId(), contextRowId,
                p.resourceLinkTitle(), clock.instant());
        return new PlacementIds(contextRowId, linkRowId);
    }

    /** Enrols (or re-activates) the account in the resource within the context, with the launch's roles. */
    public void enrol(UUID accountId, UUID resourceId, UUID contextRowId, RoleClass roleClass, String roles) {
        sql.update("""
                insert into enrolment (id, account_id, resource_id, context_id, role_class, roles, status, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?)
                on conflict (account_id, resource_id, context_id) do update set
                    role_class = excluded.role_class, roles = excluded.roles, status = 'ACTIVE',
                    updated_at = excluded.updated_at
                """, UUID.randomUUID(), accountId, resourceId, contextRowId, roleClass.name(), roles, clock.instant(),
                clock.instant());
    }

    public record PlacementIds(UUID contextRowId, UUID resourceLinkRowId) {
    }

    /** Context types and AGS scopes are stored space-separated, null when there are none. */
    public static String spaceSeparated(List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(" ", values);
    }
}
