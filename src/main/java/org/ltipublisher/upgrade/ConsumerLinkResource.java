package org.ltipublisher.upgrade;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.upgrade.UpgradeDtos.LinkRequest;
import org.ltipublisher.upgrade.UpgradeDtos.LinkView;

import io.quarkus.security.identity.SecurityIdentity;

/** An LTI 1.1 consumer's link to the LTI 1.3 registration its platform upgraded to. */
@Path("/api/v1/consumers/{id}/link")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "LTI 1.1 → 1.3 upgrade")
public class ConsumerLinkResource {

    private final Lti11UpgradeService upgrades;
    private final SecurityIdentity identity;

    public ConsumerLinkResource(Lti11UpgradeService upgrades, SecurityIdentity identity) {
        this.upgrades = upgrades;
        this.identity = identity;
    }

    @POST
    @Operation(summary = "Link the consumer to a 1.3 registration (and deployment) and merge the accounts the "
            + "userMatching rule (same-id or same-email) pairs; dryRun=true lists the pairs and changes nothing")
    public LinkView link(@PathParam("id") UUID id, @QueryParam("dryRun") boolean dryRun, LinkRequest request) {
        return upgrades.link(id, request, dryRun, identity.getPrincipal().getName());
    }

    @GET
    public LinkView get(@PathParam("id") UUID id) {
        return upgrades.find(id);
    }

    @DELETE
    @Operation(summary = "Unlink; accounts already linked or merged stay so")
    public RestResponse<Void> unlink(@PathParam("id") UUID id) {
        upgrades.unlink(id, identity.getPrincipal().getName());
        return RestResponse.noContent();
    }
}
