package org.ltipublisher.registration;

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
import org.ltipublisher.registration.RegistrationDtos.DeploymentRequest;
import org.ltipublisher.registration.RegistrationDtos.DeploymentView;
import org.ltipublisher.registration.RegistrationDtos.PlatformDetails;
import org.ltipublisher.registration.RegistrationDtos.RegistrationRequest;
import org.ltipublisher.registration.RegistrationDtos.RegistrationView;
import org.ltipublisher.web.PublicUrl;

@Path("/api/v1/registrations")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Registrations")
public class RegistrationResource {

    private final RegistrationService registrations;
    private final PublicUrl publicUrl;

    @Context
    UriInfo uriInfo;

    public RegistrationResource(RegistrationService registrations, PublicUrl publicUrl) {
        this.registrations = registrations;
        this.publicUrl = publicUrl;
    }

    @POST
    @Operation(summary = "Create a pending registration; the answer carries the tool details for the platform admin")
    public RestResponse<RegistrationView> create(RegistrationRequest request) {
        RegistrationView created = registrations.create(request, publicUrl.base(uriInfo));
        return RestResponse.ResponseBuilder.<RegistrationView>created(URI.create("/api/v1/registrations/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "List registrations")
    public List<RegistrationView> list() {
        return registrations.list(publicUrl.base(uriInfo));
    }

    @GET
    @Path("/{id}")
    public RegistrationView get(@PathParam("id") UUID id) {
        return registrations.get(id, publicUrl.base(uriInfo));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Rename a registration or change its unknown-deployment policy")
    public RegistrationView update(@PathParam("id") UUID id, RegistrationRequest request) {
        return registrations.update(id, request, publicUrl.base(uriInfo));
    }

    @DELETE
    @Path("/{id}")
    public RestResponse<Void> delete(@PathParam("id") UUID id) {
        registrations.delete(id);
        return RestResponse.noContent();
    }

    @PUT
    @Path("/{id}/platform")
    @Operation(summary = "Set the platform details (issuer, client id, endpoints)")
    public RegistrationView setPlatform(@PathParam("id") UUID id, PlatformDetails details) {
        return registrations.setPlatform(id, details, publicUrl.base(uriInfo));
    }

    @POST
    @Path("/{id}/registration-url")
    @Operation(summary = "Issue a new one-time dynamic registration URL (LTI DR 1.0) for this registration; for a "
            + "registration that already has a platform it is a re-registration URL: it may update only this "
            + "registration, and only from the same issuer")
    public RestResponse<RegistrationDtos.RegistrationUrlView> registrationUrl(@PathParam("id") UUID id) {
        return RestResponse.status(RestResponse.Status.CREATED,
                registrations.issueRegistrationUrl(id, publicUrl.base(uriInfo)));
    }

    @GET
    @Path("/{id}/deployments")
    public List<DeploymentView> deployments(@PathParam("id") UUID id) {
        return registrations.listDeployments(id);
    }

    @POST
    @Path("/{id}/deployments")
    public RestResponse<DeploymentView> addDeployment(@PathParam("id") UUID id, DeploymentRequest request) {
        return RestResponse.status(RestResponse.Status.CREATED, registrations.addDeployment(id, request));
    }

    @DELETE
    @Path("/{id}/deployments/{deploymentId}")
    public RestResponse<Void> removeDeployment(@PathParam("id") UUID id, @PathParam("deploymentId") String deploymentId) {
        registrations.removeDeployment(id, deploymentId);
        return RestResponse.noContent();
    }
}
