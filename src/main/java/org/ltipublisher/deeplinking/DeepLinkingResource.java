package org.ltipublisher.deeplinking;

import org.ltipublisher.lti.ToolPaths;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.ltipublisher.web.BrowserForms;
import org.ltipublisher.web.PublicUrl;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The teacher's content choice, answered with the auto-posting LtiDeepLinkingResponse (Deep Linking 2.0 §4.5). */
@Path(ToolPaths.DEEP_LINKING)
public class DeepLinkingResource {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance select(ContentSelection.SelectionPage page);

        public static native TemplateInstance respond(ContentSelection.AutoPost post);
    }

    private final ContentSelection selection;
    private final PublicUrl publicUrl;
    private final BrowserForms browserForms;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    public DeepLinkingResource(ContentSelection selection, PublicUrl publicUrl, BrowserForms browserForms) {
        this.selection = selection;
        this.publicUrl = publicUrl;
        this.browserForms = browserForms;
    }

    @POST
    @Path("/response")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({ MediaType.TEXT_HTML, MediaType.APPLICATION_JSON })
    public Response respond(@RestForm("selection") String token, @RestForm String action,
            @RestForm("resource") List<String> resources, @RestForm("gradebook") List<String> gradebook,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        browserForms.verify(headers, uriInfo, csrfToken);
        ContentSelection.Answer answer = selection.respond(token, "cancel".equals(action), resources, gradebook,
                publicUrl.base(uriInfo));
        TemplateInstance page = answer.post() != null ? Templates.respond(answer.post()) : Templates.select(answer.page());
        return Response.status(answer.post() != null ? 200 : 400).entity(page)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
