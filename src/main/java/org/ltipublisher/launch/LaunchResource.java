package org.ltipublisher.launch;

import org.ltipublisher.admission.LaunchOutcome;

import org.ltipublisher.lti.ToolPaths;


import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.ltipublisher.admission.AccountChoices;
import org.ltipublisher.admission.LaunchOutcome;
import org.ltipublisher.web.BrowserForms;
import org.ltipublisher.web.PublicUrl;
import org.ltipublisher.web.RequestCookies;

import io.quarkus.qute.CheckedTemplate;
import io.vertx.core.http.HttpServerRequest;
import io.quarkus.qute.TemplateInstance;

/** The tool's redirect_uri: platforms form-post the id_token here (Security Framework §5.1.1.3). */
@Path("/")
public class LaunchResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(LaunchOutcome.ChooseAccount choice);

        static native TemplateInstance readState(LaunchOutcome.ReadPlatformStorage read);
    }

    private final LaunchService launches;
    private final AccountChoices accountChoices;
    private final LoginStateCodec states;
    private final PublicUrl publicUrl;
    private final BrowserForms browserForms;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    @Context
    HttpServerRequest vertxRequest;

    public LaunchResource(LaunchService launches, AccountChoices accountChoices, LoginStateCodec states,
            PublicUrl publicUrl, BrowserForms browserForms) {
        this.browserForms = browserForms;
        this.launches = launches;
        this.accountChoices = accountChoices;
        this.states = states;
        this.publicUrl = publicUrl;
    }

    @POST
    @Path(ToolPaths.LAUNCH)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({ MediaType.TEXT_HTML, MediaType.APPLICATION_JSON })
    public Response launch(@RestForm("id_token") String idToken, @RestForm String state, @RestForm String error,
            @RestForm("error_description") String errorDescription,
            @RestForm("lti_storage_proof") String storageProof) {
        return receive(idToken, state, error, errorDescription, storageProof);
    }

    /** The deep linking redirect URI registered by dynamic registration; same handling, dispatched by message type. */
    @POST
    @Path(ToolPaths.DEEP_LINKING)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({ MediaType.TEXT_HTML, MediaType.APPLICATION_JSON })
    public Response deepLinking(@RestForm("id_token") String idToken, @RestForm String state, @RestForm String error,
            @RestForm("error_description") String errorDescription,
            @RestForm("lti_storage_proof") String storageProof) {
        return receive(idToken, state, error, errorDescription, storageProof);
    }

    private Response receive(String idToken, String state, String error, String errorDescription,
            String storageProof) {
        LaunchService.LaunchRequest request = new LaunchService.LaunchRequest(idToken, state, error, errorDescription,
                RequestCookies.of(headers), publicUrl.base(uriInfo),
                storageProof);
        LaunchService.LaunchResult result = launches.launch(request);
        Response.ResponseBuilder response = render(result.outcome());
        if (result.state() != null) {
            response.header("Set-Cookie", states.expiredCookie(result.state()));
        }
        return response.build();
    }

    @POST
    @Path(ToolPaths.ACCOUNT_CHOICE)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({ MediaType.TEXT_HTML, MediaType.APPLICATION_JSON })
    public Response chooseAccount(@RestForm String pending, @RestForm String action, @RestForm String username,
            @RestForm String password, @RestForm(BrowserForms.FIELD) String csrfToken) {
        browserForms.verify(headers, uriInfo, csrfToken);
        return render(accountChoices.completeChoice(new AccountChoices.AccountChoice(pending, action, username, password,
                RequestCookies.of(headers), publicUrl.base(uriInfo), BrowserForms.clientAddress(vertxRequest))))
                .build();
    }

    private Response.ResponseBuilder render(LaunchOutcome outcome) {
        return switch (outcome) {
            case LaunchOutcome.Redirect redirect -> {
                Response.ResponseBuilder builder = Response.seeOther(redirect.location());
                if (redirect.sessionCookie() != null) {
                    builder.cookie(redirect.sessionCookie());
                }
                yield builder;
            }
            case LaunchOutcome.Page page -> {
                Response.ResponseBuilder builder = Response.ok(page.page())
                        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
                if (page.sessionCookie() != null) {
                    builder.cookie(page.sessionCookie());
                }
                yield builder;
            }
            case LaunchOutcome.ReadPlatformStorage read -> Response.ok(Templates.readState(read))
                    .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).header("Cache-Control", "no-store");
            case LaunchOutcome.ChooseAccount choice -> {
                Response.ResponseBuilder builder = Response
                        .status(choice.error() == null ? Response.Status.OK : Response.Status.UNAUTHORIZED)
                        .entity(Templates.account(choice)).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                        .header("Cache-Control", "no-store");
                if (choice.bindingCookie() != null) {
                    builder.header("Set-Cookie", choice.bindingCookie());
                }
                yield builder;
            }
        };
    }
}
