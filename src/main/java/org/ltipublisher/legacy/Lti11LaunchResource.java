package org.ltipublisher.legacy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.ltipublisher.admission.LaunchOutcome;
import org.ltipublisher.legacy.Lti11LaunchValidator.Lti11Request;
import org.ltipublisher.legacy.oauth.OAuthAuthorizationHeader;
import org.ltipublisher.legacy.oauth.OAuthParameter;
import org.ltipublisher.legacy.oauth.OAuthPercentEncoding;
import org.ltipublisher.web.PublicUrl;
import org.ltipublisher.web.RequestCookies;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/** Where an LMS posts an LTI 1.1 basic launch for a published resource (the resource's 1.1 launch URL). */
@Path(ConsumerService.LAUNCH_PATH_PREFIX + "{id}")
public class Lti11LaunchResource {

    private static final Logger LOG = Logger.getLogger(Lti11LaunchResource.class);

    private final Lti11LaunchService launches;
    private final PublicUrl publicUrl;
    private final Template account;
    private final Template error;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    public Lti11LaunchResource(Lti11LaunchService launches, PublicUrl publicUrl,
            @Location("LaunchResource/account.html") Template account, @Location("errors/error.html") Template error) {
        this.launches = launches;
        this.publicUrl = publicUrl;
        this.account = account;
        this.error = error;
    }

    /**
     * The raw body is read, not bound field by field: the signature covers every parameter, repeated ones
     * included, exactly as sent (RFC 5849 §3.4.1.3.1).
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({ MediaType.TEXT_HTML, MediaType.APPLICATION_JSON })
    public Response launch(@PathParam("id") String id, String body) {
        String query = uriInfo.getRequestUri().getRawQuery();
        String path = uriInfo.getRequestUri().getRawPath();
        String basePath = uriInfo.getBaseUri().getRawPath();
        if (basePath != null && basePath.length() > 1 && path.startsWith(basePath)) {
            path = path.substring(basePath.length() - (basePath.endsWith("/") ? 1 : 0));
        }
        // the URL as the LMS saw it: the public base behind the ingress, not this pod's address
        String url = publicUrl.base(uriInfo) + path;
        List<OAuthParameter> params = new ArrayList<>();
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        try {
            params.addAll(OAuthPercentEncoding.formParameters(query));
            params.addAll(OAuthPercentEncoding.formParameters(body));
            if (OAuthAuthorizationHeader.isOAuth(authorization)) {
                params.addAll(OAuthAuthorizationHeader.parse(authorization));
            }
        } catch (IllegalArgumentException e) {
            throw launches.malformed(e.getMessage());
        }
        LaunchOutcome outcome = launches.launch(new Lti11Request("POST", url, params), id,
                RequestCookies.of(headers), publicUrl.base(uriInfo));
        return switch (outcome) {
            case LaunchOutcome.Redirect redirect -> Response.seeOther(redirect.location()).build();
            case LaunchOutcome.ChooseAccount choice -> {
                Response.ResponseBuilder page = Response.ok(account.data("choice", choice))
                        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).header("Cache-Control", "no-store");
                if (choice.bindingCookie() != null) {
                    page.header("Set-Cookie", choice.bindingCookie());
                }
                yield page.build();
            }
            // content selection and platform storage belong to LTI 1.3 messages only
            default -> throw new IllegalStateException("an LTI 1.1 launch cannot lead to " + outcome);
        };
    }

    /** Back to the LMS with the reason (LTI 1.1 launch_presentation_return_url, lti_errormsg / lti_errorlog). */
    @ServerExceptionMapper
    public Response returnToConsumer(Lti11Rejection rejection) {
        LOG.infof("rejected lti 1.1 launch status=%d reason=%s message=\"%s\" (returned to the consumer)",
                rejection.status(), rejection.code(), rejection.getMessage());
        URI back = returnUri(rejection);
        if (back == null) {
            return Response.status(rejection.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(error.data("status", rejection.status()).data("code", rejection.code())
                            .data("message", rejection.getMessage()))
                    .build();
        }
        return Response.seeOther(back).build();
    }

    private static URI returnUri(Lti11Rejection rejection) {
        String url = rejection.returnUrl();
        if (!(url.startsWith("https://") || url.startsWith("http://"))) {
            return null;
        }
        try {
            return URI.create(url + (url.contains("?") ? "&" : "?") + "lti_errormsg="
                    + OAuthPercentEncoding.encode(rejection.getMessage()) + "&lti_errorlog="
                    + OAuthPercentEncoding.encode(rejection.code()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
