package org.ltipublisher.console;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
import org.ltipublisher.web.BrowserForms;
import org.ltipublisher.web.Rejection;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.http.HttpServerRequest;

/** The console's sign-in, first-administrator setup, sign-out and dashboard. */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signin(String error, String username, boolean devMode, String oidcProvider);

        static native TemplateInstance setup(String token, String error);

        static native TemplateInstance dashboard(ConsoleAdmin admin, ConsoleDashboard.Overview overview);
    }

    private final ConsoleAdminStore admins;
    private final ConsoleSignIns signIns;
    private final ConsoleSessions sessions;
    private final ConsoleAccess access;
    private final ConsoleDashboard dashboard;
    private final BrowserForms browserForms;
    private final ConsoleOidcSignIns oidcSignIns;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    @Context
    HttpServerRequest request;

    public ConsoleResource(ConsoleAdminStore admins, ConsoleSignIns signIns, ConsoleSessions sessions,
            ConsoleAccess access, ConsoleDashboard dashboard, BrowserForms browserForms, ConsoleOidcSignIns oidcSignIns) {
        this.admins = admins;
        this.signIns = signIns;
        this.sessions = sessions;
        this.access = access;
        this.dashboard = dashboard;
        this.browserForms = browserForms;
        this.oidcSignIns = oidcSignIns;
    }

    @GET
    public TemplateInstance home(@RestCookie(ConsoleSessions.COOKIE) String cookie) {
        ConsoleAdmin admin = access.require(cookie);
        return Templates.dashboard(admin, dashboard.overview(uriInfo));
    }

    @GET
    @Path("/signin")
    public TemplateInstance signInForm() {
        return Templates.signin(null, "", devMode(), oidcProvider());
    }

    @POST
    @Path("/signin")
    public RestResponse<TemplateInstance> signIn(@RestForm String username, @RestForm String password,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        browserForms.verify(headers, uriInfo, csrfToken);
        return signIns.signIn(username, password, BrowserForms.clientAddress(request))
                .map(admin -> RestResponse.ResponseBuilder.<TemplateInstance>seeOther(URI.create("/console"))
                        .cookie(sessions.open(admin)).build())
                .orElseGet(() -> RestResponse.status(RestResponse.Status.UNAUTHORIZED, Templates.signin(
                        "Unknown username or wrong password.", username == null ? "" : username, devMode(),
                        oidcProvider())));
    }

    /** Dev mode only: one click signs in as the dev admin, as the README's quick start promises. */
    @POST
    @Path("/dev-signin")
    public RestResponse<Object> devSignIn(@RestForm(BrowserForms.FIELD) String csrfToken) {
        if (!devMode()) {
            throw Rejection.notFound("not_dev_mode", "one-click sign-in exists only in dev mode (./mvnw quarkus:dev)");
        }
        browserForms.verify(headers, uriInfo, csrfToken);
        return RestResponse.ResponseBuilder.seeOther(URI.create("/console")).cookie(sessions.open(admins.devAdmin()))
                .build();
    }

    /** Ends the session on the server too: a copy of the cookie signs nobody in afterwards. */
    @POST
    @Path("/signout")
    public RestResponse<Object> signOut(@RestCookie(ConsoleSessions.COOKIE) String cookie,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        browserForms.verify(headers, uriInfo, csrfToken);
        return RestResponse.ResponseBuilder.seeOther(URI.create("/console/signin")).cookie(sessions.close(cookie))
                .build();
    }

    @GET
    @Path("/setup/{token}")
    public RestResponse<TemplateInstance> setupForm(@PathParam("token") String token) {
        if (!admins.setupTokenValid(token)) {
            throw new Rejection(410, "setup_link_used_or_expired", "this setup link has been used or has expired. "
                    + "Sign in at /console/signin with the administrator it created.");
        }
        return RestResponse.ok(Templates.setup(token, null));
    }

    @POST
    @Path("/setup/{token}")
    public RestResponse<TemplateInstance> setup(@PathParam("token") String token, @RestForm String username,
            @RestForm String password, @RestForm String confirmation, @RestForm(BrowserForms.FIELD) String csrfToken) {
        browserForms.verify(headers, uriInfo, csrfToken);
        if (password == null || !password.equals(confirmation)) {
            return RestResponse.status(RestResponse.Status.BAD_REQUEST,
                    Templates.setup(token, "The two passwords differ; type the same password twice."));
        }
        ConsoleAdmin admin = admins.completeSetup(token, username, password);
        return RestResponse.ResponseBuilder.<TemplateInstance>seeOther(URI.create("/console"))
                .cookie(sessions.open(admin)).build();
    }

    /** The identity provider's name when sign-in with it is configured; null hides its button. */
    private String oidcProvider() {
        return oidcSignIns.providerName().orElse(null);
    }

    static boolean devMode() {
        return LaunchMode.current() == LaunchMode.DEVELOPMENT;
    }

    /** Counts by a key, sorted, for the dashboard's small tables. */
    static <T> Map<String, Long> countBy(List<T> items, java.util.function.Function<T, String> key) {
        Map<String, Long> counts = new TreeMap<>();
        items.forEach(item -> counts.merge(key.apply(item), 1L, Long::sum));
        return counts;
    }
}
