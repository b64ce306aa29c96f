package org.ltipublisher.upgrade;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.ltipublisher.accounts.AccountMergeStore.Merged;
import org.ltipublisher.upgrade.UpgradeDtos.MergeRequest;
import org.ltipublisher.web.Rejection;

import io.quarkus.security.identity.SecurityIdentity;

/** Merging the two accounts one person got through LTI 1.1 and 1.3 into the one in the path. */
@Path("/api/v1/accounts/{target}/merge")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "LTI 1.1 → 1.3 upgrade")
public class AccountMergeResource {

    private final AccountMerges merges;
    private final SecurityIdentity identity;

    public AccountMergeResource(AccountMerges merges, SecurityIdentity identity) {
        this.merges = merges;
        this.identity = identity;
    }

    @POST
    @Operation(summary = "Merge the source account into this one (platform users, enrolments, scores, sessions move; "
            + "the source is deleted); repeating a done merge answers alreadyMerged")
    public Merged merge(@PathParam("target") String target, MergeRequest request) {
        UUID targetId = accountId(target, "the account in the path");
        if (request == null || request.source() == null || request.source().isBlank()) {
            throw Rejection.unprocessable("missing_field", "source is required: the id of the account to merge into "
                    + targetId);
        }
        UUID sourceId;
        try {
            sourceId = UUID.fromString(request.source().trim());
        } catch (IllegalArgumentException e) {
            throw Rejection.unprocessable("invalid_account_id", "source '" + request.source()
                    + "' is not an account id (UUID)");
        }
        return merges.merge(targetId, sourceId, identity.getPrincipal().getName(), "admin-merge");
    }

    private static UUID accountId(String value, String what) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw Rejection.notFound("unknown_account", what + " '" + value + "' is not an account id (UUID)");
        }
    }
}
