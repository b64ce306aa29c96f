package org.ltipublisher.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;

import org.ltipublisher.LtiConfig;

/**
 * The tool's public base URL: from {@code lti.public-url} when set, otherwise from the request as
 * Quarkus sees it (which honours X-Forwarded-* only when {@code quarkus.http.proxy.*} trusts them).
 */
@ApplicationScoped
public class PublicUrl {

    private final LtiConfig config;

    public PublicUrl(LtiConfig config) {
        this.config = config;
    }

    /** Base URL without trailing slash, e.g. {@code https://lti.example.edu}. */
    public String base(UriInfo uriInfo) {
        return config.publicUrl()
                .map(PublicUrl::trimSlash)
                .orElseGet(() -> trimSlash(uriInfo.getBaseUri().toString()));
    }

    public String resolve(UriInfo uriInfo, String path) {
        return base(uriInfo) + path;
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
