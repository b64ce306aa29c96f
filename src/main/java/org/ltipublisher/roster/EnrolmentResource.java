package org.ltipublisher.roster;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.roster.EnrolmentStore.EnrolmentView;
import org.ltipublisher.web.Rejection;

@Path("/api/v1/resources/{id}/enrolments")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Grade and member sync")
public class EnrolmentResource {

    private final PublishedResourceService resources;
    private final EnrolmentService enrolments;

    public EnrolmentResource(PublishedResourceService resources, EnrolmentService enrolments) {
        this.resources = resources;
        this.enrolments = enrolments;
    }

    @GET
    @Operation(summary = "Who is enrolled: account, platform user, context, roles, status, and whether launch or member sync enrolled them")
    public List<EnrolmentView> enrolments(@PathParam("id") UUID id) {
        if (resources.find(id).isEmpty()) {
            throw Rejection.notFound("unknown_resource", "no published resource with id " + id);
        }
        return enrolments.forResource(id);
    }
}
