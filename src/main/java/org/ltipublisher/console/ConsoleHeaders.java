package org.ltipublisher.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The console is never framed (CSP Level 3 {@code frame-ancestors 'none'}, and X-Frame-Options for older
 * browsers): unlike the launch pages no platform embeds it, and a framed admin page invites clickjacking.
 * Its pages show per-session data, so they are not stored either.
 */
public class ConsoleHeaders {

    @ServerResponseFilter
    public void add(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getUriInfo().getPath().startsWith("/console")) {
            response.getHeaders().putSingle("Content-Security-Policy",
                    "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'");
            response.getHeaders().putSingle("X-Frame-Options", "DENY");
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
