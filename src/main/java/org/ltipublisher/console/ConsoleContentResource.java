package org.ltipublisher.console;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.BeanParam;
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
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.resources.ResourceDtos.OutlineRow;
import org.ltipublisher.resources.ResourceDtos.ResourceRequest;
import org.ltipublisher.resources.ResourceDtos.ResourceView;
import org.ltipublisher.roster.EnrolmentService;
import org.ltipublisher.roster.EnrolmentStore.EnrolmentView;
import org.ltipublisher.sync.SyncKind;
import org.ltipublisher.sync.SyncRunView;
import org.ltipublisher.sync.SyncService;
import org.ltipublisher.web.BrowserForms;
import org.ltipublisher.web.PublicUrl;
import org.ltipublisher.web.Rejection;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Published content: the outline of every content tree, publishing (a root or a child), the settings of a
 * resource (provisioning, syncs, enrolment rules), enable and disable, its enrolments, the last sync runs and
 * "sync now". Same services as {@code /api/v1/resources}; this class only turns form fields into their requests.
 */
@Path("/console/content")
@Produces(MediaType.TEXT_HTML)
public class ConsoleContentResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(ConsoleAdmin admin, List<OutlineRow> outline);

        static native TemplateInstance created(ConsoleAdmin admin, ResourceView resource);

        static native TemplateInstance detail(ConsoleAdmin admin, ResourceView resource, ResourceView parent,
                List<ResourceView> children, List<EnrolmentView> enrolments, List<SyncRunView> syncs);
    }

    private final PublishedResourceService resources;
    private final SyncService syncs;
    private final EnrolmentService enrolments;
    private final ConsoleAccess access;
    private final BrowserForms browserForms;
    private final PublicUrl publicUrl;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    public ConsoleContentResource(PublishedResourceService resources, SyncService syncs, EnrolmentService enrolments,
            ConsoleAccess access, BrowserForms browserForms, PublicUrl publicUrl) {
        this.resources = resources;
        this.syncs = syncs;
        this.enrolments = enrolments;
        this.access = access;
        this.browserForms = browserForms;
        this.publicUrl = publicUrl;
    }

    /** The fields of the settings form; names are those of the admin API's resource request. */
    public record SettingsForm(@RestForm String title, @RestForm String kind, @RestForm String contentUrl,
            @RestForm String maxGrade, @RestForm String gradeSync, @RestForm String memberSync,
            @RestForm String studentProvisioning, @RestForm String teacherProvisioning, @RestForm String weight,
            @RestForm String incompleteGrades, @RestForm String enrolmentStartsAt, @RestForm String enrolmentEndsAt,
            @RestForm String enrolmentPeriod, @RestForm String maxEnrolled, @RestForm String memberSyncMode,
            @RestForm String defaultLanguage, @RestForm String defaultTimezone, @RestForm String defaultInstitution) {

        ResourceRequest request() {
            return new ResourceRequest(title, kind, contentUrl, decimal("maxGrade", maxGrade), checked(gradeSync),
                    checked(memberSync), studentProvisioning, teacherProvisioning, null, null, null,
                    decimal("weight", weight), blankToNull(incompleteGrades), enrolmentStartsAt, enrolmentEndsAt,
                    enrolmentPeriod, whole("maxEnrolled", maxEnrolled), memberSyncMode, defaultLanguage,
                    defaultTimezone, defaultInstitution);
        }
    }

    @GET
    public TemplateInstance list(@RestCookie(ConsoleSessions.COOKIE) String cookie) {
        ConsoleAdmin admin = access.require(cookie);
        return Templates.list(admin, resources.outline(publicUrl.base(uriInfo)));
    }

    /** Publishes a root; the page shows the content credential's secret, once, as the API answer does. */
    @POST
    public TemplateInstance create(@RestCookie(ConsoleSessions.COOKIE) String cookie,
            @RestForm(BrowserForms.FIELD) String csrfToken, @BeanParam SettingsForm form) {
        ConsoleAdmin admin = access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        return Templates.created(admin, resources.create(form.request(), publicUrl.base(uriInfo)));
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id) {
        ConsoleAdmin admin = access.require(cookie);
        String base = publicUrl.base(uriInfo);
        ResourceView resource = resources.get(resourceId(id), base);
        ResourceView parent = resource.tree().parentId() == null ? null : resources.get(resource.tree().parentId(), base);
        List<ResourceView> children = resource.tree().children().stream().map(c -> resources.get(c, base)).toList();
        return Templates.detail(admin, resource, parent, children, enrolments.forResource(resource.id()),
                syncs.status(resource.id()));
    }

    /** Saves the settings: the whole form replaces them, as PUT /api/v1/resources/{id} does; the tree place stays. */
    @POST
    @Path("/{id}")
    public RestResponse<Object> update(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @RestForm(BrowserForms.FIELD) String csrfToken, @BeanParam SettingsForm form) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID resource = resourceId(id);
        resources.update(resource, form.request(), publicUrl.base(uriInfo));
        return backTo(resource);
    }

    @POST
    @Path("/{id}/children")
    public TemplateInstance createChild(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @RestForm(BrowserForms.FIELD) String csrfToken, @BeanParam SettingsForm form) {
        ConsoleAdmin admin = access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        return Templates.created(admin, resources.createChild(resourceId(id), form.request(), publicUrl.base(uriInfo)));
    }

    @POST
    @Path("/{id}/disable")
    public RestResponse<Object> disable(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        return enabled(cookie, id, csrfToken, false);
    }

    @POST
    @Path("/{id}/enable")
    public RestResponse<Object> enable(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        return enabled(cookie, id, csrfToken, true);
    }

    /** "Sync now", as POST /api/v1/resources/{id}/sync/grades or /members. */
    @POST
    @Path("/{id}/sync/{kind}")
    public RestResponse<Object> syncNow(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @PathParam("kind") String kind, @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID resource = resourceId(id);
        syncs.requestNow(resource, switch (kind) {
            case "grades" -> SyncKind.GRADES;
            case "members" -> SyncKind.MEMBERS;
            default -> throw Rejection.notFound("unknown_sync", "no sync '" + kind + "': use grades or members");
        });
        return backTo(resource);
    }

    /** This resource's sync interval, as PUT /api/v1/resources/{id}/sync/{kind}; blank: the service-wide one. */
    @POST
    @Path("/{id}/sync/{kind}/interval")
    public RestResponse<Object> interval(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @PathParam("kind") String kind, @RestForm String intervalMinutes,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID resource = resourceId(id);
        syncs.setInterval(resource, kind, whole("intervalMinutes", intervalMinutes));
        return backTo(resource);
    }

    private RestResponse<Object> enabled(String cookie, String id, String csrfToken, boolean enabled) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID resource = resourceId(id);
        resources.setEnabled(resource, enabled, publicUrl.base(uriInfo));
        return backTo(resource);
    }

    private static RestResponse<Object> backTo(UUID resource) {
        return RestResponse.seeOther(URI.create("/console/content/" + resource));
    }

    private static UUID resourceId(String id) {
        return ConsolePathIds.parse(id, "unknown_resource", "published resource", "pick one from the content list");
    }

    /** A checkbox: present (any value) is on, absent is off. */
    private static Boolean checked(String value) {
        return value != null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static BigDecimal decimal(String field, String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            // no exponent: "1e9999999" would be a number the service then has to reason about
            if (v.length() <= 20 && v.matches("-?[0-9]+(\\.[0-9]+)?")) {
                return new BigDecimal(v);
            }
        } catch (NumberFormatException e) {
            // fall through to the rejection
        }
        throw Rejection.unprocessable("invalid_number", field + " '" + shorten(v) + "' is not a number, e.g. 10 or 2.5");
    }

    private static Integer whole(String field, String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw Rejection.unprocessable("invalid_number", field + " '" + shorten(v) + "' is not a whole number");
        }
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
