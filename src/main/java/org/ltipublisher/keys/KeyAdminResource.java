package org.ltipublisher.keys;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/keys")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tool keys")
public class KeyAdminResource {

    private final ToolKeyService keys;

    public KeyAdminResource(ToolKeyService keys) {
        this.keys = keys;
    }

    @GET
    @Operation(summary = "List the tool's keys (public metadata only)")
    public List<KeyView> list() {
        return keys.list();
    }

    @POST
    @Path("/rotate")
    @Operation(summary = "Rotate now: the pre-published next key starts signing, the current one is retired")
    public KeyView rotate() {
        return keys.rotate();
    }
}
