package org.ltipublisher.keys;

import org.ltipublisher.lti.ToolPaths;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

/** The tool's public keys, for platforms verifying client assertions and deep linking responses. */
@Path(ToolPaths.JWKS)
public class JwksResource {

    /** Short enough that a rotation is seen well within the retired key's overlap. */
    static final String CACHE_CONTROL = "public, max-age=300";

    private final ToolKeyService keys;

    public JwksResource(ToolKeyService keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<String> jwks() {
        return RestResponse.ResponseBuilder.ok(keys.jwksJson())
                .header("Cache-Control", CACHE_CONTROL)
                .build();
    }
}
