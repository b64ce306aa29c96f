package org.ltipublisher.resources;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.resources.ResourceDtos.ResourceRequest;
import org.ltipublisher.resources.ResourceDtos.ResourceView;
import org.ltipublisher.web.PublicUrl;

@Path("/api/v1/resources")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Published resources")
public class PublishedResourceResource {

    private final PublishedResourceService resources;
    private final PublicUrl publicUrl;

    @Context
    UriInfo uriInfo;

    public PublishedResourceResource(PublishedResourceService resources, PublicUrl publicUrl) {
        this.resources = resources;
        this.publicUrl = publicUrl;
    }

    @POST
    @Operation(summary = "Publish content as an LTI tool; the answer carries its launch URL and custom properties")
    public RestResponse<ResourceView> create(ResourceRequest request) {
        ResourceView created = resources.create(request, publicUrl.base(uriInfo));
        return RestResponse.ResponseBuilder.<ResourceView>created(URI.create("/api/v1/resources/" + created.id())).entity(created).build();
    }

    @GET
    public List<ResourceView> list() {
        return resources.list(publicUrl.base(uriInfo));
    }

    @GET
    @Path("/{id}")
    public ResourceView get(@PathParam("id") UUID id) {
        return resources.get(id, publicUrl.base(uriInfo));
    }

    @PUT
    @Path("/{id}")
    public ResourceView update(@PathParam("id") UUID id, ResourceRequest request) {
        return resources.update(id, request, publicUrl.base(uriInfo));
    }

    @POST
    @Path("/{id}/children")
    @Operation(summary = "Publish a child of this resource (content tree: course → section → unit → activity or "
            + "problem); position among its siblings, last when left out")
    public RestResponse<ResourceView> createChild(@PathParam("id") UUID id, ResourceRequest request) {
        ResourceView created = resources.createChild(id, request, publicUrl.base(uriInfo));
        return RestResponse.ResponseBuilder.<ResourceView>created(URI.create("/api/v1/resources/" + created.id())).entity(created).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Unpublish a resource and its whole subtree")
    public RestResponse<Void> delete(@PathParam("id") UUID id) {
        resources.delete(id);
        return RestResponse.noContent();
    }

    @POST
    @Path("/{id}/disable")
    @Operation(summary = "Stop launches into this resource (links in platforms show an error page)")
    public ResourceView disable(@PathParam("id") UUID id) {
        return resources.setEnabled(id, false, publicUrl.base(uriInfo));
    }

    @POST
    @Path("/{id}/content-credential")
    @Operation(summary = "Issue a new content credential (key id + secret, shown once) for this resource's content "
            + "application; the previous one stops working at once")
    public RestResponse<ResourceDtos.ContentCredentialView> contentCredential(@PathParam("id") UUID id) {
        return RestResponse.status(RestResponse.Status.CREATED, resources.rotateContentCredential(id));
    }

    @POST
    @Path("/{id}/enable")
    public ResourceView enable(@PathParam("id") UUID id) {
        return resources.setEnabled(id, true, publicUrl.base(uriInfo));
    }
}
