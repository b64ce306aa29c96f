package org.ltipublisher.resources;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;

/**
 * The contexts and resource links of an LTI 1.1 consumer that upgraded to a 1.3 deployment. Moodle keeps
 * context ids and resource link ids across the upgrade, so the 1.1 rows are shared with the deployment: the
 * 1.3 launch's upserts (keyed by deployment + id) then land on the rows the 1.1 launches made, with their
 * enrolments and outcome targets, instead of starting a second copy of each course.
 */
@ApplicationScoped
public class ConsumerPlacementSharing {

    private final JdbcTemplate sql;

    public ConsumerPlacementSharing(JdbcTemplate sql) {
        this.sql = sql;
    }

    /** What {@link #share} shared. */
    public record Shared(int contexts, int resourceLinks) {
    }

    /**
     * Shares all the consumer's contexts and resource links with the deployment. A row the deployment already
     * has its own copy of stays apart: those two courses cannot be joined without moving everything that hangs
     * on one of them.
     */
    public Shared shareAll(UUID consumerRowId, UUID deploymentRowId) {
        return share(consumerRowId, deploymentRowId, true, null, null);
    }

    /** Shares the one context and resource link of a launch (either id may be null: nothing of that kind). */
    public Shared shareLaunch(UUID consumerRowId, UUID deploymentRowId, String contextId, String resourceLinkId) {
        return share(consumerRowId, deploymentRowId, false, contextId, resourceLinkId);
    }

    private Shared share(UUID consumerRowId, UUID deploymentRowId, boolean all, String contextId, String resourceLinkId) {
        int contexts = !all && contextId == null ? 0 : sql.update("""
                update lti_context c set deployment_id = ?
                where c.consumer_id = ? and c.deployment_id is null and (cast(? as varchar) is null or c.context_id = ?)
                  and not exists (select 1 from lti_context o where o.deployment_id = ? and o.context_id = c.context_id)
                """, deploymentRowId, consumerRowId, contextId, contextId, deploymentRowId);
        int links = !all && resourceLinkId == null ? 0 : sql.update("""
                update resource_link l set deployment_id = ?
                where l.consumer_id = ? and l.deployment_id is null
                  and (cast(? as varchar) is null or l.resource_link_id = ?)
                  and not exists (select 1 from resource_link o where o.deployment_id = ?
                                  and o.resource_link_id = l.resource_link_id)
                """, deploymentRowId, consumerRowId, resourceLinkId, resourceLinkId, deploymentRowId);
        return new Shared(contexts, links);
    }

    /** The published resource of the consumer's resource link with this id (what its 1.1 launches opened). */
    public Optional<UUID> resourceOfConsumerLink(UUID consumerRowId, String resourceLinkId) {
        if (resourceLinkId == null) {
            return Optional.empty();
        }
        return sql.queryOne("select resource_id from resource_link where consumer_id = ? and resource_link_id = ?",
                row -> row.getObject("resource_id", UUID.class), consumerRowId, resourceLinkId);
    }
}
