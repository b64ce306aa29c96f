package org.ltipublisher.console;

import java.net.URI;
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
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.keys.KeyView;
import org.ltipublisher.keys.ToolKeyService;
import org.ltipublisher.web.BrowserForms;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The tool's signing keys, and rotation: the old key stays in the JWKS for the retired overlap. */
@Path("/console/keys")
@Produces(MediaType.TEXT_HTML)
public class ConsoleKeysResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keys(ConsoleAdmin admin, List<KeyView> keys, String overlap);
    }

    private final ToolKeyService keys;
    private final ConsoleAccess access;
    private final BrowserForms browserForms;
    private final LtiConfig config;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    public ConsoleKeysResource(ToolKeyService keys, ConsoleAccess access, BrowserForms browserForms,
            LtiConfig config) {
        this.keys = keys;
        this.access = access;
        this.browserForms = browserForms;
        this.config = config;
    }

    @GET
    public TemplateInstance list(@RestCookie(ConsoleSessions.COOKIE) String cookie) {
        return Templates.keys(access.require(cookie), keys.list(), config.keys().retiredOverlap().toHours() + " h");
    }

    @POST
    @Path("/rotate")
    public RestResponse<Object> rotate(@RestCookie(ConsoleSessions.COOKIE) String cookie,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        keys.rotate();
        return RestResponse.seeOther(URI.create("/console/keys"));
    }
}
