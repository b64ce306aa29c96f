package org.ltipublisher.admission;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.NewCookie;

import org.jboss.logging.Logger;
import org.ltipublisher.accounts.AccountDefaults;
import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.accounts.ToolSession;
import org.ltipublisher.admission.AdmissionStore.PlacementIds;
import org.ltipublisher.enrolment.EnrolmentRules;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.resources.LaunchPlacement;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.web.Rejection;

/**
 * What every launch does once its protocol has vouched for it (LTI 1.3 and LTI 1.1 alike): find the
 * platform user's account, or link or create one as the provisioning says, or ask the user to choose one;
 * record where the launch happened; apply the resource's enrolment rules; enrol; hand off to the content (or to the message's continuation).
 * Runs inside the launch's transaction: a rejection rolls back everything the launch wrote, nonce included.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    private final AccountService accounts;
    private final ToolSession session;
    private final PendingLaunchCodec pendings;
    private final AdmissionStore store;
    private final HandOffService handOffs;
    private final Instance<AccountChoiceContinuation> continuations;
    private final EnrolmentRules rules;

    public Admission(AccountService accounts, ToolSession session, PendingLaunchCodec pendings, AdmissionStore store,
            HandOffService handOffs, Instance<AccountChoiceContinuation> continuations, EnrolmentRules rules) {
        this.rules = rules;
        this.accounts = accounts;
        this.session = session;
        this.pendings = pendings;
        this.store = store;
        this.handOffs = handOffs;
        this.continuations = continuations;
    }

    /** The outcome, and the placement rows when the launch has a placement. */
    public record Admitted(LaunchOutcome outcome, PlacementIds placement) {
    }

    /**
     * A linked platform user's launch into a resource, written with its nonce in one statement that needs no
     * transaction; empty (nothing written, the nonce unspent unless the user was unlinked meanwhile) when the
     * launch needs the general path: {@link #admit} in the launch's transaction.
     */
    public Optional<Admitted> admitReturning(AdmissionRequest r, LaunchNonce nonce) {
        return returning(r, nonce);
    }

    public Admitted admit(AdmissionRequest r) {
        Optional<Admitted> returning = returning(r, null);
        if (returning.isPresent()) {
            return returning.get();
        }
        // rows are locked in the returning user's order (platform user and account, then context, link,
        // enrolment), so concurrent launches of one user wait for each other instead of deadlocking
        Optional<AccountSummary> linked = accounts.findLinked(r.user());
        AdmissionRequest.Provisioning provisioning = r.provisioning();
        if (linked.isEmpty() && provisioning.linkByEmail()) {
            linked = accounts.findByEmail(r.user().email()).map(a -> accounts.link(r.user(), a.id()));
        }
        if (linked.isEmpty() && provisioning.createsAccounts()) {
            linked = Optional.of(accounts.createAndLink(r.user(),
                    provisioning.mode() == ProvisioningMode.ANONYMOUS, accountDefaults(r.resource())));
        }
        PlacementIds ids = r.placement() == null ? null : store.record(r.placement());
        if (linked.isPresent()) {
            return new Admitted(proceed(linked.get(), r, ids), ids);
        }
        return new Admitted(accountChoice(r, ids), ids);
    }

    /** The common case, a linked platform user, in one statement: one round trip instead of five. */
    private Optional<Admitted> returning(AdmissionRequest r, LaunchNonce nonce) {
        // a resource with enrolment rules takes the general path, which checks them before enrolling
        if (!(r.placement() instanceof LaunchPlacement placement)
                || (r.resource() != null && r.resource().hasEnrolmentRules())) {
            return Optional.empty();
        }
        return store.recordReturningUser(r.user(), placement, r.roleClass(), r.joinedRoles(), nonce)
                .map(returning -> new Admitted(handOff(returning.account(), r.resource(), returning.placement(),
                        r.roleClass(), r.roles(), r.user(), r.baseUrl(), null), returning.placement()));
    }

    /**
     * Prompt / existing-only provisioning: a signed-in account with the launch's e-mail is linked at once
     * (existing-only); otherwise the account choice page, which {@link AccountChoices} finishes.
     */
    private LaunchOutcome accountChoice(AdmissionRequest r, PlacementIds ids) {
        boolean existingOnly = r.provisioning().existingOnly();
        if (existingOnly && r.user().email() == null) {
            throw Rejection.forbidden("email_required", r.provisioning().emailRequiredReason());
        }
        Optional<AccountSummary> signedIn = session.accountId(r.cookies().apply(ToolSession.COOKIE))
                .flatMap(accounts::find);
        if (existingOnly && signedIn.isPresent()
                && AccountService.sameEmail(signedIn.get().email(), r.user().email())) {
            return proceed(accounts.link(r.user(), signedIn.get().id()), r, ids);
        }
        AdmissionRequest.Continuation continuation = r.continuation();
        PendingLaunch pending = new PendingLaunch(r.user(), r.provisioning().mode(),
                r.resource() == null ? null : r.resource().id, ids == null ? null : ids.contextRowId(),
                ids == null ? null : ids.resourceLinkRowId(), r.roleClass(), r.joinedRoles(),
                continuation == null ? null : continuation.messageType(),
                continuation == null ? null : continuation.token(), null);
        PendingLaunchCodec.Bound bound = pendings.bind(pending, r.cookies());
        return choicePage(bound.pending(), signedIn.map(AccountSummary::displayName).orElse(null), null, null,
                bound.setCookie());
    }

    private LaunchOutcome proceed(AccountSummary account, AdmissionRequest r, PlacementIds ids) {
        if (r.continuation() != null) {
            return continueWith(r.continuation().messageType(), r.continuation().token(), account, null);
        }
        return enter(account, r.resource(), ids, r.roleClass(), r.roles(), r.user(), r.baseUrl(), null);
    }

    /** The message type's own way on once the user has an account. */
    LaunchOutcome continueWith(String messageType, String token, AccountSummary account, NewCookie sessionCookie) {
        return continuations.stream().filter(c -> c.messageType().equals(messageType)).findFirst()
                .orElseThrow(() -> Rejection.badRequest("unknown_message_type", "the LTI message type '" + messageType
                        + "' is not one this tool handles"))
                .proceed(token, account, sessionCookie);
    }

    /** Enrols the account and hands it off to the content. */
    LaunchOutcome.Redirect enter(AccountSummary account, PublishedResource resource, PlacementIds ids,
            RoleClass roleClass, List<String> roles, PlatformIdentity user, String baseUrl, NewCookie sessionCookie) {
        // a refusal rolls back the launch's transaction: account, link, placement and nonce included
        rules.admit(account.id(), resource, roleClass);
        store.enrol(account.id(), resource.id, ids.contextRowId(), roleClass, String.join(" ", roles));
        return handOff(account, resource, ids, roleClass, roles, user, baseUrl, sessionCookie);
    }

    /** The enrolled account goes to the content with a hand-off token. */
    private LaunchOutcome.Redirect handOff(AccountSummary account, PublishedResource resource, PlacementIds ids,
            RoleClass roleClass, List<String> roles, PlatformIdentity user, String baseUrl, NewCookie sessionCookie) {
        HandOff handOff = new HandOff(account.id(), account.username(), account.displayName(), resource.id,
                ids.resourceLinkRowId(), ids.contextRowId(), roleClass, roles, user.issuer(), user.subject());
        LOG.debugf("launch ok: platform=%s sub=%s account=%s resource=%s role=%s", user.issuer(), user.subject(),
                account.username(), resource.id, roleClass);
        return new LaunchOutcome.Redirect(handOffs.destination(resource, handOff, baseUrl), sessionCookie);
    }

    /** The account choice page for a pending launch. */
    LaunchOutcome.ChooseAccount choicePage(PendingLaunch pending, String signedInAs, String error, String username,
            String bindingCookie) {
        String name = pending.user().fullName() != null ? pending.user().fullName()
                : joinNames(pending.user().givenName(), pending.user().familyName());
        return new LaunchOutcome.ChooseAccount(pendings.sign(pending), pending.mode() == ProvisioningMode.EXISTING_ONLY,
                name, pending.user().email(), signedInAs, error, username, pending.continues(), bindingCookie);
    }

    /** What an account created for a launch into this resource starts with (none outside a resource). */
    static AccountDefaults accountDefaults(PublishedResource resource) {
        return resource == null ? AccountDefaults.NONE : resource.accountDefaults();
    }

    private static String joinNames(String given, String family) {
        String joined = ((given == null ? "" : given) + " " + (family == null ? "" : family)).trim();
        return joined.isEmpty() ? null : joined;
    }
}
