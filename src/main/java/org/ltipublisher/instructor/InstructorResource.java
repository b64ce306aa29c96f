package org.ltipublisher.instructor;

import java.util.UUID;
import java.util.function.Function;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.ltipublisher.admission.HandOff;
import org.ltipublisher.admission.HandOffService;
import org.ltipublisher.web.BrowserForms;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * "Grades and delivery": the instructor view reached from an instructor's launch (the sample activity links
 * it; a content application links {@code /instructor/{resourceId}?launch_token=…} with the token it received).
 * The launch token is the binding; the forms are guarded by {@link BrowserForms} (CSRF double submit + Origin).
 */
@Path("/instructor/{resourceId}")
@Produces(MediaType.TEXT_HTML)
public class InstructorResource {

    public static final String PATH = "/instructor/";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance view(InstructorView view);
    }

    private final InstructorService instructor;
    private final BrowserForms browserForms;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    public InstructorResource(InstructorService instructor, BrowserForms browserForms) {
        this.instructor = instructor;
        this.browserForms = browserForms;
    }

    @GET
    public TemplateInstance show(@PathParam("resourceId") UUID resourceId,
            @RestQuery(HandOffService.TOKEN_PARAM) String token) {
        HandOff launch = instructor.instructorLaunch(resourceId, token);
        return Templates.view(instructor.view(launch, token, null));
    }

    @POST
    @Path("/send-grades")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance sendGrades(@PathParam("resourceId") UUID resourceId,
            @RestForm(HandOffService.TOKEN_PARAM) String token, @RestForm(BrowserForms.FIELD) String csrfToken) {
        return act(resourceId, token, csrfToken, instructor::sendGradesNow);
    }

    @POST
    @Path("/retry-failed")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance retryFailed(@PathParam("resourceId") UUID resourceId,
            @RestForm(HandOffService.TOKEN_PARAM) String token, @RestForm(BrowserForms.FIELD) String csrfToken) {
        return act(resourceId, token, csrfToken, instructor::retryFailed);
    }

    /** The form's origin and CSRF token first, then the instructor's launch, then the action; the page again with its result. */
    private TemplateInstance act(UUID resourceId, String token, String csrfToken, Function<HandOff, String> action) {
        browserForms.verify(headers, uriInfo, csrfToken);
        HandOff launch = instructor.instructorLaunch(resourceId, token);
        return Templates.view(instructor.view(launch, token, action.apply(launch)));
    }
}
