package org.ltipublisher.admission;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import io.quarkus.narayana.jta.QuarkusTransaction;

import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.accounts.SignInThrottle;
import org.ltipublisher.accounts.ToolSession;
import org.ltipublisher.admission.AdmissionStore.PlacementIds;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.web.Rejection;

/** Finishes a launch that waited for its user to link, sign in to or create an account (any protocol). */
@ApplicationScoped
public class AccountChoices {

    private final PendingLaunchCodec pendings;
    private final ToolSession session;
    private final SignInThrottle signIns;
    private final AccountService accounts;
    private final PublishedResourceService resources;
    private final Admission admission;

    public AccountChoices(PendingLaunchCodec pendings, ToolSession session, SignInThrottle signIns,
            AccountService accounts, PublishedResourceService resources, Admission admission) {
        this.pendings = pendings;
        this.session = session;
        this.signIns = signIns;
        this.accounts = accounts;
        this.resources = resources;
        this.admission = admission;
    }

    /**
     * What the account page posts: link to the signed-in account (its password asked again), sign in to one,
     * or create one; {@code clientAddress} is the address sign-ins are throttled by.
     */
    public record AccountChoice(String pendingToken, String action, String username, String password,
            Function<String, String> cookies, String baseUrl, String clientAddress) {
    }

    /**
     * Finishes an account choice. The pending launch must come back from the browser it was shown in, and
     * passwords are checked before the transaction opens: bcrypt never holds a database connection.
     */
    public LaunchOutcome completeChoice(AccountChoice choice) {
        PendingLaunch pending = pendings.verify(choice.pendingToken());
        pendings.requireSameBrowser(pending, choice.cookies());
        boolean existingOnly = pending.mode() == ProvisioningMode.EXISTING_ONLY;
        String action = choice.action() == null ? "" : choice.action();
        AccountSummary chosen = null;
        switch (action) {
            case "create" -> {
                if (existingOnly) {
                    throw Rejection.forbidden("existing_account_required",
                            "this resource only admits existing accounts: sign in instead");
                }
            }
            case "current" -> {
                chosen = session.accountId(choice.cookies().apply(ToolSession.COOKIE)).flatMap(accounts::find)
                        .orElseThrow(() -> Rejection.unauthorized("not_signed_in", "you are no longer signed in"));
                if (existingOnly && !AccountService.sameEmail(chosen.email(), pending.user().email())) {
                    return admission.choicePage(pending, chosen.displayName(), "The account you are signed in to has "
                            + "another e-mail address than your course account; sign in to the matching one.", null,
                            null);
                }
                // being signed in is not enough: a page of another site can make the browser send that cookie
                if (!signIns.reauthenticate(chosen, choice.password(), choice.clientAddress())) {
                    return admission.choicePage(pending, chosen.displayName(), "Wrong password for "
                            + chosen.displayName() + ": type the password of the account you are signed in to.", null,
                            null);
                }
            }
            case "signin" -> {
                Optional<AccountSummary> authenticated = signIns.signIn(choice.username(), choice.password(),
                        choice.clientAddress());
                if (authenticated.isEmpty()) {
                    return admission.choicePage(pending, null, "Unknown username or wrong password.",
                            choice.username(), null);
                }
                if (existingOnly && !AccountService.sameEmail(authenticated.get().email(), pending.user().email())) {
                    return admission.choicePage(pending, null, "The account '" + authenticated.get().username()
                            + "' has another e-mail address than your course account.", choice.username(), null);
                }
                chosen = authenticated.get();
            }
            default -> throw Rejection.badRequest("unknown_action", "unknown choice '" + action + "'");
        }
        AccountSummary verified = chosen;
        return QuarkusTransaction.requiringNew().call(() -> linkChosen(pending, action, verified, choice.baseUrl()));
    }

    private LaunchOutcome linkChosen(PendingLaunch pending, String action, AccountSummary chosen, String baseUrl) {
        PublishedResource resource = pending.continues() ? null : resources.find(pending.resourceId())
                .filter(r -> r.enabled)
                .orElseThrow(() -> Rejection.forbidden("resource_disabled", "this resource is no longer available"));
        AccountSummary account = chosen == null ? accounts.createAndLink(pending.user(), false,
                Admission.accountDefaults(resource))
                : accounts.link(pending.user(), chosen.id());
        NewCookie sessionCookie = "signin".equals(action) ? session.open(account.id()) : null;
        if (pending.continues()) {
            return admission.continueWith(pending.messageType(), pending.continuation(), account, sessionCookie);
        }
        return admission.enter(account, resource, new PlacementIds(pending.contextRowId(), pending.resourceLinkRowId()),
                pending.roleClass(), pending.roles().isBlank() ? List.of() : List.of(pending.roles().split(" ")),
                pending.user(), baseUrl, sessionCookie);
    }
}
