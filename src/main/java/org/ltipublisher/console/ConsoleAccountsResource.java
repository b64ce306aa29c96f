package org.ltipublisher.console;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.ltipublisher.accounts.AccountAdminService;
import org.ltipublisher.accounts.AccountDtos.AccountSearch;
import org.ltipublisher.accounts.AccountDtos.AccountView;
import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.console.PlatformNames.PlatformUserRow;
import org.ltipublisher.web.BrowserForms;
import org.ltipublisher.web.PublicUrl;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Accounts over the same services as /api/v1/accounts: search, an account's linked platform users, and unlinking
 * one (its next launch is provisioned again).
 */
@Path("/console/accounts")
@Produces(MediaType.TEXT_HTML)
public class ConsoleAccountsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(ConsoleAdmin admin, AccountSearch search, int limit);

        static native TemplateInstance detail(ConsoleAdmin admin, AccountView account, List<PlatformUserRow> platformUsers);
    }

    private final AccountAdminService accounts;
    private final AccountService links;
    private final PlatformNames platforms;
    private final ConsoleAccess access;
    private final BrowserForms browserForms;
    private final PublicUrl publicUrl;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    public ConsoleAccountsResource(AccountAdminService accounts, AccountService links, PlatformNames platforms,
            ConsoleAccess access, BrowserForms browserForms, PublicUrl publicUrl) {
        this.accounts = accounts;
        this.links = links;
        this.platforms = platforms;
        this.access = access;
        this.browserForms = browserForms;
        this.publicUrl = publicUrl;
    }

    @GET
    public TemplateInstance search(@RestCookie(ConsoleSessions.COOKIE) String cookie, @QueryParam("q") String query) {
        ConsoleAdmin admin = access.require(cookie);
        return Templates.list(admin, accounts.search(query, AccountAdminService.MAX_SEARCH_RESULTS),
                AccountAdminService.MAX_SEARCH_RESULTS);
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id) {
        ConsoleAdmin admin = access.require(cookie);
        UUID account = uuid(id, "unknown_account", "account");
        return Templates.detail(admin, accounts.get(account), platforms.platformUsers(account, publicUrl.base(uriInfo)));
    }

    @POST
    @Path("/{id}/platform-users/{platformUserId}/unlink")
    public RestResponse<Object> unlink(@RestCookie(ConsoleSessions.COOKIE) String cookie, @PathParam("id") String id,
            @PathParam("platformUserId") String platformUserId, @RestForm(BrowserForms.FIELD) String csrfToken) {
        access.require(cookie);
        browserForms.verify(headers, uriInfo, csrfToken);
        UUID account = uuid(id, "unknown_account", "account");
        links.unlink(account, uuid(platformUserId, "platform_user_not_linked", "linked platform user"));
        return RestResponse.seeOther(URI.create("/console/accounts/" + account));
    }

    private static UUID uuid(String id, String code, String what) {
        return ConsolePathIds.parse(id, code, what, "search the accounts list");
    }
}
