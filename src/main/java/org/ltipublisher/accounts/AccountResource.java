package org.ltipublisher.accounts;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.accounts.AccountDtos.AccountRequest;
import org.ltipublisher.accounts.AccountDtos.AccountView;

@Path("/api/v1/accounts")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
public class AccountResource {

    private final AccountAdminService accounts;

    public AccountResource(AccountAdminService accounts) {
        this.accounts = accounts;
    }

    @POST
    @Operation(summary = "Create a local account (with a password it can sign in and be linked in prompt modes)")
    public RestResponse<AccountView> create(AccountRequest request) {
        AccountView created = accounts.create(request);
        return RestResponse.ResponseBuilder.<AccountView>created(URI.create("/api/v1/accounts/" + created.id())).entity(created).build();
    }

    @GET
    public List<AccountView> list() {
        return accounts.list();
    }

    @GET
    @Path("/{id}")
    public AccountView get(@PathParam("id") UUID id) {
        return accounts.get(id);
    }
}
