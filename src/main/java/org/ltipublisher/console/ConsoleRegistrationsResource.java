package org.ltipublisher.console;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.registration.RegistrationDtos.DeploymentRequest;
import org.ltipublisher.registration.RegistrationDtos.PlatformDetails;
import org.ltipublisher.registration.UnknownDeploymentPolicy;
import org.ltipublisher.web.Rejection;
import org.ltipublisher.registration.RegistrationDtos.RegistrationRequest;
import org.ltipublisher.registration.RegistrationDtos.RegistrationView;
import org.ltipublisher.registration.RegistrationDtos.ToolDetails;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.web.BrowserForms;
import org.ltipublisher.web.PublicUrl;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Registrations: the list with status, and "New registration" with the one-time URL and the tool's URLs. */
@Path("/console/registrations")
@Produces(MediaType.TEXT_HTML)
public class ConsoleRegistrationsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(ConsoleAdmin admin, List<RegistrationView> registrations, ToolDetails tool);

        static native TemplateInstance created(ConsoleAdmin admin, RegistrationView registration, String expiry);

        static native TemplateInstance detail(ConsoleAdmin admin, RegistrationView registration);
    }

    private final RegistrationService registrations;
    private final ConsoleAccess access;
    private final BrowserForms browserForms;
    private final PublicUrl publicUrl;
    private final org.ltipublisher.LtiConfig config;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    public ConsoleRegistrationsResource(RegistrationService registrations, ConsoleAccess access,
            BrowserForms browserForms, PublicUrl publicUrl, org.ltipublisher.LtiConfig config) {
        this.registrations = registrations;
        this.access = access;
        this.browserForms = browserForms;
        this.publicUrl = publicUrl;
        this.config = config;
    }

    @GET
    public TemplateInstance list(@RestCookie(ConsoleSessions.COOKIE) String cookie) {
        ConsoleAdmin admin = access.require(cookie);
        String base = publicUrl.base(uriInfo);
        return Templates.list(admin, registrations.list(base), registrations.toolDetails(base));
    }

    @POST
    public TemplateInstance create(@RestCookie(ConsoleSessions.COOKIE) String cookie, @RestForm String name,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        ConsoleAdmin admin = access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        RegistrationView created = registrations.create(new RegistrationRequest(name, null), publicUrl.base(uriInfo));
        return Templates.created(admin, created, "in " + config.registration().tokenTtl().toMinutes() + " minutes");
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id) {
        ConsoleAdmin admin = access.require(cookie);
        return Templates.detail(admin, registrations.get(registrationId(id), publicUrl.base(uriInfo)));
    }

    /** Moodle's "Platform details": what the LMS shows the administrator after a manual registration. */
    @POST
    @Path("/{id}/platform")
    public RestResponse<Object> platform(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @RestForm String issuer, @RestForm String clientId, @RestForm String authenticationRequestUrl,
            @RestForm String accessTokenUrl, @RestForm String jwksUrl, @RestForm String tokenAudience,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID registration = registrationId(id);
        registrations.setPlatform(registration, new PlatformDetails(issuer, clientId, authenticationRequestUrl,
                accessTokenUrl, jwksUrl, tokenAudience), publicUrl.base(uriInfo));
        return backTo(registration);
    }

    @POST
    @Path("/{id}/deployments")
    public RestResponse<Object> addDeployment(@RestCookie(ConsoleSessions.COOKIE) String cookie,
            @PathParam("id") String id, @RestForm String deploymentId, @RestForm String deploymentName,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID registration = registrationId(id);
        registrations.addDeployment(registration, new DeploymentRequest(deploymentId, deploymentName));
        return backTo(registration);
    }

    @POST
    @Path("/{id}/deployments/remove")
    public RestResponse<Object> removeDeployment(@RestCookie(ConsoleSessions.COOKIE) String cookie,
            @PathParam("id") String id, @RestForm String deploymentId, @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID registration = registrationId(id);
        registrations.removeDeployment(registration, deploymentId);
        return backTo(registration);
    }

    @POST
    @Path("/{id}/policy")
    public RestResponse<Object> policy(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @RestForm String unknownDeploymentPolicy, @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID registration = registrationId(id);
        UnknownDeploymentPolicy policy;
        try {
            policy = UnknownDeploymentPolicy.valueOf(String.valueOf(unknownDeploymentPolicy));
        } catch (IllegalArgumentException e) {
            throw Rejection.badRequest("invalid_policy", "choose REFUSE or ADD for unknown deployments");
        }
        String name = registrations.get(registration, publicUrl.base(uriInfo)).name();
        registrations.update(registration, new RegistrationRequest(name, policy), publicUrl.base(uriInfo));
        return backTo(registration);
    }

    private static RestResponse<Object> backTo(UUID registration) {
        return RestResponse.seeOther(URI.create("/console/registrations/" + registration));
    }

    private static UUID registrationId(String id) {
        return ConsolePathIds.parse(id, "unknown_registration", "registration", "pick one from the registrations list");
    }
}
