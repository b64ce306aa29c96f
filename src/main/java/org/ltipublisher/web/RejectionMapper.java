package org.ltipublisher.web;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Renders a {@link Rejection}: JSON for API clients and callers that ask for it, an HTML page
 * (which works inside an LMS iframe) for browsers. Each rejection is logged once with its code.
 */
public class RejectionMapper {

    private static final Logger LOG = Logger.getLogger(RejectionMapper.class);

    @CheckedTemplate(basePath = "errors")
    static class Templates {
        static native TemplateInstance error(int status, String code, String message, String actionLabel,
                String actionUrl);
    }

    @ServerExceptionMapper
    public Response map(Rejection rejection, HttpHeaders headers, UriInfo uriInfo) {
        String path = uriInfo.getPath();
        LOG.infof("rejected path=%s status=%d reason=%s message=\"%s\"", LogRedaction.url(path), rejection.status(),
                rejection.code(), rejection.getMessage());
        return render(rejection, path, headers.getAcceptableMediaTypes());
    }

    /** The page or JSON for a refusal, without logging it (callers log in their own terms). */
    static Response render(Rejection rejection, String path, List<MediaType> acceptable) {
        Response.ResponseBuilder response = Response.status(rejection.status());
        if (rejection.retryAfter() != null) {
            response.header("Retry-After", Math.max(1, rejection.retryAfter().toSeconds()));
        }
        if (wantsJson(path, acceptable)) {
            return response.type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(rejection.code(), rejection.getMessage()))
                    .build();
        }
        return response.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(rejection.status(), rejection.code(), rejection.getMessage(),
                        rejection.actionLabel(), rejection.actionUrl()))
                .build();
    }

    static boolean wantsJson(String path, List<MediaType> acceptable) {
        if (path.startsWith("/api/")) {
            return true;
        }
        for (MediaType type : acceptable) {
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType()) {
                return false;
            }
            if (MediaType.APPLICATION_JSON_TYPE.isCompatible(type) && !type.isWildcardType()) {
                return true;
            }
        }
        return false;
    }
}
