package org.ltipublisher.launch;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.ltipublisher.web.PublicUrl;

/** {@code initiate_login_uri}: platforms call it with GET or POST (Security Framework §5.1.1.1). */
@Path("/lti/login")
public class LoginResource {

    private final LoginService login;
    private final PublicUrl publicUrl;

    @Context
    UriInfo uriInfo;

    public LoginResource(LoginService login, PublicUrl publicUrl) {
        this.login = login;
        this.publicUrl = publicUrl;
    }

    @GET
    public Response get(@RestQuery String iss, @RestQuery("login_hint") String loginHint,
            @RestQuery("target_link_uri") String targetLinkUri, @RestQuery("lti_message_hint") String ltiMessageHint,
            @RestQuery("client_id") String clientId, @RestQuery("lti_deployment_id") String ltiDeploymentId,
            @RestQuery("deployment_id") String deploymentId) {
        return redirect(new LoginRequest(iss, loginHint, targetLinkUri, ltiMessageHint, clientId,
                ltiDeploymentId != null ? ltiDeploymentId : deploymentId));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(@RestForm String iss, @RestForm("login_hint") String loginHint,
            @RestForm("target_link_uri") String targetLinkUri, @RestForm("lti_message_hint") String ltiMessageHint,
            @RestForm("client_id") String clientId, @RestForm("lti_deployment_id") String ltiDeploymentId,
            @RestForm("deployment_id") String deploymentId) {
        return redirect(new LoginRequest(iss, loginHint, targetLinkUri, ltiMessageHint, clientId,
                ltiDeploymentId != null ? ltiDeploymentId : deploymentId));
    }

    private Response redirect(LoginRequest request) {
        LoginService.LoginRedirect redirect = login.initiate(request, publicUrl.base(uriInfo));
        return Response.status(Response.Status.FOUND).location(redirect.location()).cookie(redirect.bindingCookie())
                .header("Cache-Control", "no-store").build();
    }
}
