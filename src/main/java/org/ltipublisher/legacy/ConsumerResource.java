package org.ltipublisher.legacy;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.legacy.ConsumerDtos.ConsumerRequest;
import org.ltipublisher.legacy.ConsumerDtos.ConsumerView;
import org.ltipublisher.legacy.outcomes.OutcomeAdminService;
import org.ltipublisher.legacy.outcomes.OutcomeAdminService.OutcomeTargetView;
import org.ltipublisher.legacy.outcomes.OutcomeAdminService.ResultView;
import org.ltipublisher.legacy.outcomes.OutcomeAdminService.ScoreRequest;
import org.ltipublisher.web.PublicUrl;

@Path("/api/v1/consumers")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "LTI 1.1 consumers")
public class ConsumerResource {

    private final ConsumerService consumers;
    private final OutcomeAdminService outcomes;
    private final PublicUrl publicUrl;

    @Context
    UriInfo uriInfo;

    public ConsumerResource(ConsumerService consumers, OutcomeAdminService outcomes, PublicUrl publicUrl) {
        this.consumers = consumers;
        this.outcomes = outcomes;
        this.publicUrl = publicUrl;
    }

    @POST
    @Operation(summary = "Create a consumer; the answer is the only time its secret is shown")
    public RestResponse<ConsumerView> create(ConsumerRequest request) {
        ConsumerView created = consumers.create(request, publicUrl.base(uriInfo));
        return RestResponse.ResponseBuilder.<ConsumerView>created(URI.create("/api/v1/consumers/" + created.id()))
                .entity(created).build();
    }

    @GET
    public List<ConsumerView> list() {
        return consumers.list(publicUrl.base(uriInfo));
    }

    @GET
    @Path("/{id}")
    public ConsumerView get(@PathParam("id") UUID id) {
        return consumers.get(id, publicUrl.base(uriInfo));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Rename, change the auth mode or the account requirement, or replace key or secret")
    public ConsumerView update(@PathParam("id") UUID id, ConsumerRequest request) {
        return consumers.update(id, request, publicUrl.base(uriInfo));
    }

    @DELETE
    @Path("/{id}")
    public RestResponse<Void> delete(@PathParam("id") UUID id) {
        consumers.delete(id);
        return RestResponse.noContent();
    }

    @GET
    @Path("/{id}/outcomes")
    @Operation(summary = "The Basic Outcomes targets (user x resource link) learnt from this consumer's launches")
    public List<OutcomeTargetView> outcomeTargets(@PathParam("id") UUID id) {
        return outcomes.list(id);
    }

    @GET
    @Path("/{id}/outcomes/{targetId}/result")
    @Operation(summary = "readResult: the score the consumer holds for this target")
    public ResultView readResult(@PathParam("id") UUID id, @PathParam("targetId") UUID targetId) {
        return outcomes.read(id, targetId);
    }

    @PUT
    @Path("/{id}/outcomes/{targetId}/result")
    @Operation(summary = "replaceResult: send a score from 0.0 to 1.0 to the consumer")
    public ResultView replaceResult(@PathParam("id") UUID id, @PathParam("targetId") UUID targetId,
            ScoreRequest request) {
        return outcomes.replace(id, targetId, request);
    }

    @DELETE
    @Path("/{id}/outcomes/{targetId}/result")
    @Operation(summary = "deleteResult: clear the consumer's score for this target")
    public ResultView deleteResult(@PathParam("id") UUID id, @PathParam("targetId") UUID targetId) {
        return outcomes.delete(id, targetId);
    }
}
