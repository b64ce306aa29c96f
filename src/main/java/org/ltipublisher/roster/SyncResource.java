package org.ltipublisher.roster;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.db.Sql;
import org.ltipublisher.grades.GradesConfig;
import org.ltipublisher.platform.SyncKind;
import org.ltipublisher.platform.SyncRunView;
import org.ltipublisher.platform.SyncSchedules;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.web.Rejection;

import io.quarkus.runtime.annotations.RegisterForReflection;

@Path("/api/v1/resources/{id}")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Grade and member sync")
public class SyncResource {

    @RegisterForReflection
    public record EnrolmentView(UUID accountId, String username, String platformUserId, String context, String roleClass,
            String roles, String status, String source, Instant updatedAt) {
    }

    /** {@code intervalMinutes}: 1 … 10080 (a week), or null for the service-wide interval. */
    @RegisterForReflection
    public record IntervalRequest(Integer intervalMinutes) {
    }

    @RegisterForReflection
    public record SyncRequested(UUID resourceId, String kind, String status) {
    }

    private final SyncSchedules schedules;
    private final PublishedResourceService resources;
    private final GradesConfig grades;
    private final RosterConfig roster;
    private final Sql sql;

    public SyncResource(SyncSchedules schedules, PublishedResourceService resources, GradesConfig grades,
            RosterConfig roster, Sql sql) {
        this.schedules = schedules;
        this.resources = resources;
        this.grades = grades;
        this.roster = roster;
        this.sql = sql;
    }

    @POST
    @Path("/sync/grades")
    @Operation(summary = "Run the grade sync now (on whichever replica ticks next)")
    public RestResponse<SyncRequested> syncGrades(@PathParam("id") UUID id) {
        return request(id, SyncKind.GRADES);
    }

    @POST
    @Path("/sync/members")
    @Operation(summary = "Run the member sync now (on whichever replica ticks next)")
    public RestResponse<SyncRequested> syncMembers(@PathParam("id") UUID id) {
        return request(id, SyncKind.MEMBERS);
    }

    @PUT
    @Path("/sync/{kind}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Override how often this resource's grade or member sync runs (null: the service-wide interval)")
    public List<SyncRunView> setInterval(@PathParam("id") UUID id, @PathParam("kind") String kind,
            IntervalRequest request) {
        resource(id);
        SyncKind syncKind = switch (kind) {
            case "grades" -> SyncKind.GRADES;
            case "members" -> SyncKind.MEMBERS;
            default -> throw Rejection.notFound("unknown_sync", "no sync '" + kind + "': use grades or members");
        };
        Integer minutes = request == null ? null : request.intervalMinutes();
        if (minutes != null && (minutes < 1 || minutes > 10_080)) {
            throw Rejection.unprocessable("invalid_interval", "intervalMinutes must be between 1 and 10080 (a week), not "
                    + minutes);
        }
        schedules.setInterval(id, syncKind, minutes,
                syncKind == SyncKind.GRADES ? grades.syncInterval() : roster.syncInterval());
        return schedules.status(id);
    }

    @GET
    @Path("/sync")
    @Operation(summary = "Last run of each sync (when, result, counts, reason) and when the next is due")
    public List<SyncRunView> status(@PathParam("id") UUID id) {
        resource(id);
        return schedules.status(id);
    }

    @GET
    @Path("/enrolments")
    @Operation(summary = "Who is enrolled: account, platform user, context, roles, status, and whether launch or member sync enrolled them")
    public List<EnrolmentView> enrolments(@PathParam("id") UUID id) {
        resource(id);
        return sql.list("""
                select a.id, a.username,
                       coalesce(e.platform_subject, (select p.subject from platform_user p where p.account_id = a.id
                                                     order by p.last_launch_at desc limit 1)),
                       c.context_id, e.role_class, e.roles, e.status, e.source, e.updated_at
                from enrolment e join account a on a.id = e.account_id left join lti_context c on c.id = e.context_id
                where e.resource_id = ?
                order by a.username
                """, row -> new EnrolmentView(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                row.getString(4), row.getString(5).toLowerCase(), row.getString(6), row.getString(7).toLowerCase(),
                row.getString(8).toLowerCase(), row.getObject(9, OffsetDateTime.class).toInstant()), id);
    }

    private RestResponse<SyncRequested> request(UUID id, SyncKind kind) {
        PublishedResource resource = resource(id);
        boolean on = kind == SyncKind.GRADES ? resource.gradeSync : resource.memberSync;
        if (!on) {
            throw Rejection.conflict("sync_off", (kind == SyncKind.GRADES ? "grade" : "member")
                    + " sync is off for '" + resource.title + "': turn it on in the resource first");
        }
        schedules.requestNow(id, kind);
        return RestResponse.ResponseBuilder.<SyncRequested>create(RestResponse.Status.ACCEPTED)
                .entity(new SyncRequested(id, kind.name().toLowerCase(), "requested")).build();
    }

    private PublishedResource resource(UUID id) {
        return resources.find(id).orElseThrow(() -> Rejection.notFound("unknown_resource", "no published resource with id " + id));
    }
}
