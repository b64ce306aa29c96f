package org.ltipublisher.content;

import org.ltipublisher.admission.HandOffService;

import org.ltipublisher.admission.HandOff;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** For content applications: verify a launch token and learn who launched what. */
@Path("/api/v1/launch-context")
@PermitAll
@Tag(name = "Content")
public class LaunchContextResource {

    private final HandOffService handOffs;

    public LaunchContextResource(HandOffService handOffs) {
        this.handOffs = handOffs;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The launch behind a launch token (send it as `Authorization: Bearer <launch_token>`)")
    public HandOff context(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return handOffs.verify(HandOffService.bearer(authorization));
    }
}
