package org.ltipublisher.registration;

import org.ltipublisher.lti.ToolPaths;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.ltipublisher.web.PublicUrl;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The registration URL a platform administrator pastes into the LMS (DR 1.0 §3.1). */
@Path(ToolPaths.REGISTER)
public class DynamicRegistrationResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance registered(DynamicRegistrationService.Completed completed);
    }

    private final DynamicRegistrationService registrations;
    private final PublicUrl publicUrl;

    @Context
    UriInfo uriInfo;

    public DynamicRegistrationResource(DynamicRegistrationService registrations, PublicUrl publicUrl) {
        this.registrations = registrations;
        this.publicUrl = publicUrl;
    }

    @GET
    @Path("/{token}")
    @Produces({ MediaType.TEXT_HTML, MediaType.APPLICATION_JSON })
    public TemplateInstance register(@PathParam("token") String token,
            @QueryParam("openid_configuration") String openidConfiguration,
            @QueryParam("registration_token") String registrationToken) {
        return Templates.registered(
                registrations.register(token, openidConfiguration, registrationToken, publicUrl.base(uriInfo)));
    }
}
