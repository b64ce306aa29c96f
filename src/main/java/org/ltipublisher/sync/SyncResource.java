package org.ltipublisher.sync;

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

import io.quarkus.runtime.annotations.RegisterForReflection;

@Path("/api/v1/resources/{id}/sync")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Grade and member sync")
public class SyncResource {

    /** {@code intervalMinutes}: 1 … 10080 (a week), or null for the service-wide interval. */
    @RegisterForReflection
    public record IntervalRequest(Integer intervalMinutes) {
    }

    @RegisterForReflection
    public record SyncRequested(UUID resourceId, String kind, String status) {
    }

    private final SyncService syncs;

    public SyncResource(SyncService syncs) {
        this.syncs = syncs;
    }

    @POST
    @Path("/grades")
    @Operation(summary = "Run the grade sync now (claimed at once on the replica that took the request, else at the next tick of any)")
    public RestResponse<SyncRequested> syncGrades(@PathParam("id") UUID id) {
        return request(id, SyncKind.GRADES);
    }

    @POST
    @Path("/members")
    @Operation(summary = "Run the member sync now (claimed at once on the replica that took the request, else at the next tick of any)")
    public RestResponse<SyncRequested> syncMembers(@PathParam("id") UUID id) {
        return request(id, SyncKind.MEMBERS);
    }

    @PUT
    @Path("/{kind}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Override how often this resource's grade or member sync runs (null: the service-wide interval)")
    public List<SyncRunView> setInterval(@PathParam("id") UUID id, @PathParam("kind") String kind,
            IntervalRequest request) {
        return syncs.setInterval(id, kind, request == null ? null : request.intervalMinutes());
    }

    @GET
    @Operation(summary = "Last run of each sync (when, result, counts, reason) and when the next is due")
    public List<SyncRunView> status(@PathParam("id") UUID id) {
        return syncs.status(id);
    }

    private RestResponse<SyncRequested> request(UUID id, SyncKind kind) {
        syncs.requestNow(id, kind);
        return RestResponse.ResponseBuilder.<SyncRequested>create(RestResponse.Status.ACCEPTED)
                .entity(new SyncRequested(id, kind.name().toLowerCase(), "requested")).build();
    }
}
