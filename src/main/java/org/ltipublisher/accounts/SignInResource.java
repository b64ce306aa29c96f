package org.ltipublisher.accounts;

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
import org.ltipublisher.web.BrowserForms;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/** Local sign-in to LTI Publisher (needed before an existing account can be linked to a platform user). */
@Path("/accounts")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signin(String error, String username);

        static native TemplateInstance signedin(String displayName);
    }

    private final AccountService accounts;
    private final SignInThrottle signIns;
    private final ToolSession session;
    private final BrowserForms browserForms;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    @Context
    HttpServerRequest request;

    public SignInResource(AccountService accounts, SignInThrottle signIns, ToolSession session,
            BrowserForms browserForms) {
        this.accounts = accounts;
        this.signIns = signIns;
        this.session = session;
        this.browserForms = browserForms;
    }

    @GET
    @Path("/signin")
    public TemplateInstance form(@RestCookie(ToolSession.COOKIE) String cookie) {
        return session.accountId(cookie).flatMap(accounts::find)
                .map(a -> Templates.signedin(a.displayName()))
                .orElseGet(() -> Templates.signin(null, ""));
    }

    @POST
    @Path("/signin")
    public RestResponse<TemplateInstance> signIn(@RestForm String username, @RestForm String password,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        browserForms.verify(headers, uriInfo, csrfToken);
        return signIns.signIn(username, password, BrowserForms.clientAddress(request))
                .map(a -> RestResponse.ResponseBuilder.ok(Templates.signedin(a.displayName()))
                        .cookie(session.open(a.id())).build())
                .orElseGet(() -> RestResponse.status(RestResponse.Status.UNAUTHORIZED,
                        Templates.signin("Unknown username or wrong password.", username == null ? "" : username)));
    }

    /** Ends the session on the server too: a copy of the cookie signs nobody in afterwards. */
    @POST
    @Path("/signout")
    public RestResponse<TemplateInstance> signOut(@RestCookie(ToolSession.COOKIE) String cookie,
            @RestForm(BrowserForms.FIELD) String csrfToken) {
        browserForms.verify(headers, uriInfo, csrfToken);
        return RestResponse.ResponseBuilder.ok(Templates.signin(null, "")).cookie(session.close(cookie)).build();
    }
}
