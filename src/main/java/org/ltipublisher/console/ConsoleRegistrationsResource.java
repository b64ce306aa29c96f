package org.ltipublisher.console;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
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
}
