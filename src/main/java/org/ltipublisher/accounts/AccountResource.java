package org.ltipublisher.accounts;

import java.net.URI;
import java.util.List;
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
import org.ltipublisher.accounts.AccountDtos.AccountRequest;
import org.ltipublisher.accounts.AccountDtos.AccountView;
import org.ltipublisher.accounts.AccountDtos.PlatformUserView;

@Path("/api/v1/accounts")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
public class AccountResource {

    private final AccountAdminService accounts;
    private final AccountService links;

    public AccountResource(AccountAdminService accounts, AccountService links) {
        this.accounts = accounts;
        this.links = links;
    }

    @POST
    @Operation(summary = "Create a local account (with a password it can sign in and be linked in prompt modes)")
    public RestResponse<AccountView> create(AccountRequest request) {
        AccountView created = accounts.create(request);
        return RestResponse.ResponseBuilder.<AccountView>created(URI.create("/api/v1/accounts/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "Every account, or with q= at most limit (default and most 50) whose username, e-mail or name "
            + "contains q")
    public List<AccountView> list(@QueryParam("q") String query, @QueryParam("limit") Integer limit) {
        if (query == null && limit == null) {
            return accounts.list();
        }
        return accounts.search(query, limit == null ? AccountAdminService.MAX_SEARCH_RESULTS : limit).accounts();
    }

    @GET
    @Path("/{id}")
    public AccountView get(@PathParam("id") UUID id) {
        return accounts.get(id);
    }

    @GET
    @Path("/{id}/platform-users")
    @Operation(summary = "The platform users (issuer + subject) linked to the account")
    public List<PlatformUserView> platformUsers(@PathParam("id") UUID id) {
        return links.platformUsers(id);
    }

    @DELETE
    @Path("/{id}/platform-users/{platformUserId}")
    @Operation(summary = "Unlink a platform user: its next launch is provisioned again as a first launch; the "
            + "account and everything else stay")
    public RestResponse<Void> unlink(@PathParam("id") UUID id, @PathParam("platformUserId") UUID platformUserId) {
        links.unlink(id, platformUserId);
        return RestResponse.noContent();
    }
}
