package org.ltipublisher.accounts;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

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
    private final ToolSession session;

    public SignInResource(AccountService accounts, ToolSession session) {
        this.accounts = accounts;
        this.session = session;
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
    public RestResponse<TemplateInstance> signIn(@RestForm String username, @RestForm String password) {
        return accounts.authenticate(username, password)
                .map(a -> RestResponse.ResponseBuilder.ok(Templates.signedin(a.displayName()))
                        .cookie(session.open(a.id())).build())
                .orElseGet(() -> RestResponse.status(RestResponse.Status.UNAUTHORIZED,
                        Templates.signin("Unknown username or wrong password.", username == null ? "" : username)));
    }

    @POST
    @Path("/signout")
    public RestResponse<TemplateInstance> signOut() {
        return RestResponse.ResponseBuilder.ok(Templates.signin(null, "")).cookie(session.close()).build();
    }
}
