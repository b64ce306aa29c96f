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
import org.ltipublisher.console.PlatformNames.ConsumerRow;
import org.ltipublisher.legacy.ConsumerAuthMode;
import org.ltipublisher.legacy.ConsumerDtos.ConsumerRequest;
import org.ltipublisher.legacy.ConsumerDtos.ConsumerView;
import org.ltipublisher.legacy.ConsumerService;
import org.ltipublisher.web.BrowserForms;
import org.ltipublisher.web.PublicUrl;
import org.ltipublisher.web.Rejection;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * LTI 1.1 consumers over the same {@link ConsumerService} as /api/v1/consumers: the list, "New consumer" with its
 * secret shown once, auth mode and the account requirement, on and off, and what to paste into the LMS.
 */
@Path("/console/consumers")
@Produces(MediaType.TEXT_HTML)
public class ConsoleConsumersResource {

    /** The custom parameter that keeps an activity on its resource once the LMS launches it over LTI 1.3. */
    static final String CUSTOM_PARAMETER = "id={resourceId}";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(ConsoleAdmin admin, List<ConsumerRow> consumers,
                List<ConsumerAuthMode> authModes);

        static native TemplateInstance created(ConsoleAdmin admin, ConsumerView consumer, String customParameter);

        static native TemplateInstance detail(ConsoleAdmin admin, ConsumerRow row, List<ConsumerAuthMode> authModes,
                String customParameter);
    }

    private final ConsumerService consumers;
    private final PlatformNames platforms;
    private final ConsoleAccess access;
    private final BrowserForms browserForms;
    private final PublicUrl publicUrl;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    public ConsoleConsumersResource(ConsumerService consumers, PlatformNames platforms, ConsoleAccess access,
            BrowserForms browserForms, PublicUrl publicUrl) {
        this.consumers = consumers;
        this.platforms = platforms;
        this.access = access;
        this.browserForms = browserForms;
        this.publicUrl = publicUrl;
    }

    @GET
    public TemplateInstance list(@RestCookie(ConsoleSessions.COOKIE) String cookie) {
        ConsoleAdmin admin = access.require(cookie);
        return Templates.list(admin, platforms.consumers(publicUrl.base(uriInfo)), List.of(ConsumerAuthMode.values()));
    }

    /** The answer is the only page that ever shows the secret (it is stored encrypted and never read back). */
    @POST
    public TemplateInstance create(@RestCookie(ConsoleSessions.COOKIE) String cookie, @RestForm String name,
            @RestForm String consumerKey, @RestForm String authMode, @RestForm String requireUserAccount,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        ConsoleAdmin admin = access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        ConsumerView created = consumers.create(new ConsumerRequest(name, consumerKey, null, authMode,
                checkbox(requireUserAccount), true), publicUrl.base(uriInfo));
        return Templates.created(admin, created, CUSTOM_PARAMETER);
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id) {
        ConsoleAdmin admin = access.require(cookie);
        return Templates.detail(admin, platforms.consumer(consumerId(id), publicUrl.base(uriInfo)),
                List.of(ConsumerAuthMode.values()), CUSTOM_PARAMETER);
    }

    @POST
    @Path("/{id}")
    public RestResponse<Object> update(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @RestForm String name, @RestForm String authMode, @RestForm String requireUserAccount,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID consumer = consumerId(id);
        if (authMode == null || authMode.isBlank()) {
            throw Rejection.unprocessable("invalid_auth_mode", "choose an auth mode: " + ConsumerAuthMode.allowed());
        }
        consumers.update(consumer, new ConsumerRequest(name, null, null, authMode, checkbox(requireUserAccount), null),
                publicUrl.base(uriInfo));
        return backTo(consumer);
    }

    @POST
    @Path("/{id}/enabled")
    public RestResponse<Object> enabled(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @RestForm String enabled, @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID consumer = consumerId(id);
        if (!"true".equals(enabled) && !"false".equals(enabled)) {
            throw Rejection.badRequest("invalid_enabled", "enabled must be true or false");
        }
        consumers.update(consumer, ConsumerRequest.enabled(Boolean.parseBoolean(enabled)), publicUrl.base(uriInfo));
        return backTo(consumer);
    }

    /** An HTML checkbox is sent as "on" when ticked and not at all otherwise. */
    private static Boolean checkbox(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        if (!"on".equals(value) && !"true".equals(value)) {
            throw Rejection.badRequest("invalid_checkbox", "requireUserAccount is a checkbox: on, or left out");
        }
        return true;
    }

    private static RestResponse<Object> backTo(UUID consumer) {
        return RestResponse.seeOther(URI.create("/console/consumers/" + consumer));
    }

    private static UUID consumerId(String id) {
        return ConsolePathIds.parse(id, "unknown_consumer", "LTI 1.1 consumer", "pick one from the consumers list");
    }
}
