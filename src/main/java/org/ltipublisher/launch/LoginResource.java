package org.ltipublisher.launch;

import org.ltipublisher.lti.ToolPaths;

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

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code initiate_login_uri}: platforms call it with GET or POST (Security Framework §5.1.1.1). */
@Path(ToolPaths.LOGIN)
public class LoginResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance storeState(LoginService.StoragePage storage);
    }

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
            @RestQuery("deployment_id") String deploymentId, @RestQuery("lti_storage_target") String storageTarget) {
        return redirect(new LoginRequest(iss, loginHint, targetLinkUri, ltiMessageHint, clientId,
                ltiDeploymentId != null ? ltiDeploymentId : deploymentId, storageTarget));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(@RestForm String iss, @RestForm("login_hint") String loginHint,
            @RestForm("target_link_uri") String targetLinkUri, @RestForm("lti_message_hint") String ltiMessageHint,
            @RestForm("client_id") String clientId, @RestForm("lti_deployment_id") String ltiDeploymentId,
            @RestForm("deployment_id") String deploymentId, @RestForm("lti_storage_target") String storageTarget) {
        return redirect(new LoginRequest(iss, loginHint, targetLinkUri, ltiMessageHint, clientId,
                ltiDeploymentId != null ? ltiDeploymentId : deploymentId, storageTarget));
    }

    private Response redirect(LoginRequest request) {
        LoginService.LoginRedirect redirect = login.initiate(request, publicUrl.base(uriInfo));
        Response.ResponseBuilder response = redirect.storage() == null
                ? Response.status(Response.Status.FOUND).location(redirect.location())
                : Response.ok(Templates.storeState(redirect.storage())).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        return response.header("Set-Cookie", redirect.bindingCookie()).header("Cache-Control", "no-store").build();
    }
}
