package org.ltipublisher.web;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Headers every answer of the tool carries ({@code X-Content-Type-Options: nosniff} is set for all routes,
 * static files included, by {@code quarkus.http.header} in application.properties):
 * <ul>
 * <li>HTML pages: a Content-Security-Policy that lets only the tool itself and the registered platforms frame
 * them (CSP Level 3 {@code frame-ancestors}), with no plugins and no {@code <base>}. No script-src: the
 * platform storage and deep linking pages run small inline scripts.</li>
 * <li>{@code Referrer-Policy: strict-origin-when-cross-origin}, so URLs never leak their path or query.</li>
 * <li>Answers that carry a launch token in a URL (the redirect to {@code contentUrl?launch_token=…}, a page
 * opened with one) are not stored ({@code no-store}) and send no Referer at all: the token is a credential.</li>
 * </ul>
 * Some pages may be framed by any site: pages of LTI 1.1 launches (consumers register no origin), pages opened
 * with a launch token, and the dynamic registration page, which a platform not registered yet opens in its
 * window or iframe (DR 1.0 §3.1). The last two need a secret in their URL, so a foreign frame shows only what
 * the secret's holder may see anyway.
 */
public class SecurityHeaders {

    static final String LAUNCH_TOKEN = "launch_token";

    private final FrameAncestors framingOrigins;

    public SecurityHeaders(FrameAncestors framingOrigins) {
        this.framingOrigins = framingOrigins;
    }

    @ServerResponseFilter
    public void add(ContainerRequestContext request, ContainerResponseContext response) {
        boolean launchToken = carriesLaunchToken(request, response);
        if (launchToken) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
            response.getHeaders().putSingle("Referrer-Policy", "no-referrer");
        } else if (!response.getHeaders().containsKey("Referrer-Policy")) {
            response.getHeaders().putSingle("Referrer-Policy", "strict-origin-when-cross-origin");
        }
        MediaType type = response.getMediaType();
        if (type != null && type.isCompatible(MediaType.TEXT_HTML_TYPE)
                && !response.getHeaders().containsKey("Content-Security-Policy")) {
            String path = request.getUriInfo().getPath();
            boolean anyFrame = launchToken || path.startsWith("/lti/v1p1/") || path.startsWith("/lti/register/");
            response.getHeaders().putSingle("Content-Security-Policy",
                    "frame-ancestors " + (anyFrame ? "*" : frameAncestors()) + "; object-src 'none'; base-uri 'none'");
        }
    }

    private String frameAncestors() {
        List<String> origins = framingOrigins.origins();
        return origins.isEmpty() ? "'self'" : "'self' " + String.join(" ", origins);
    }

    private static boolean carriesLaunchToken(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getUriInfo().getQueryParameters().containsKey(LAUNCH_TOKEN)) {
            return true;
        }
        Object location = response.getHeaders().getFirst(HttpHeaders.LOCATION);
        return location != null && location.toString().contains(LAUNCH_TOKEN + "=");
    }
}
