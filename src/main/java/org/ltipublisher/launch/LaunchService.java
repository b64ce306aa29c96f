package org.ltipublisher.launch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.accounts.SignInThrottle;
import org.ltipublisher.accounts.ToolSession;
import org.ltipublisher.content.HandOff;
import org.ltipublisher.content.HandOffService;
import org.ltipublisher.legacy.Lti1p1Migration;
import org.ltipublisher.deeplinking.ContentSelection;
import org.ltipublisher.registration.Deployment;
import org.ltipublisher.registration.Registration;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.registration.UnknownDeploymentPolicy;
import org.ltipublisher.resources.LaunchPlacement;
import org.ltipublisher.resources.PlacementService;
import org.ltipublisher.resources.PlacementService.PlacementIds;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.resources.RoleClass;
import org.ltipublisher.upgrade.Lti11UpgradeService;
import org.ltipublisher.web.Rejection;

/**
 * A resource link launch from state and id_token to the content: validate everything first (reads only),
 * then write. A returning user's launch is one statement, atomic on its own ({@link ReturningUserLaunch});
 * any other launch writes in one transaction (nonce, context, link, account, enrolment). Any rejection rolls
 * the writes back, so a refused launch stores nothing and leaves its nonce unused.
 */
@ApplicationScoped
public class LaunchService {

    private static final Logger LOG = Logger.getLogger(LaunchService.class);

    private final LoginStateCodec states;
    private final IdTokenValidator validator;
    private final RegistrationService registrations;
    private final PublishedResourceService resources;
    private final NonceStore nonces;
    private final ReturningUserLaunch returningUsers;
    private final PlacementService placements;
    private final AccountService accounts;
    private final ToolSession session;
    private final SignInThrottle signIns;
    private final PendingLaunchCodec pendings;
    private final HandOffService handOffs;
    private final LaunchMetrics metrics;
    private final Lti1p1Migration lti1p1Migration;
    private final ContentSelection contentSelection;
    private final Lti11UpgradeService lti11Upgrades;
    private final EntityManager em;
    private final LtiConfig config;
    private final Clock clock;

    public LaunchService(LoginStateCodec states, IdTokenValidator validator, RegistrationService registrations,
            PublishedResourceService resources, NonceStore nonces, ReturningUserLaunch returningUsers,
            PlacementService placements,
            AccountService accounts, ToolSession session, SignInThrottle signIns, PendingLaunchCodec pendings,
            HandOffService handOffs,
            LaunchMetrics metrics, Lti1p1Migration lti1p1Migration, ContentSelection contentSelection,
            Lti11UpgradeService lti11Upgrades, EntityManager em, LtiConfig config, Clock clock) {
        this.states = states;
        this.validator = validator;
        this.registrations = registrations;
        this.resources = resources;
        this.nonces = nonces;
        this.returningUsers = returningUsers;
        this.placements = placements;
        this.accounts = accounts;
        this.session = session;
        this.signIns = signIns;
        this.pendings = pendings;
        this.handOffs = handOffs;
        this.metrics = metrics;
        this.lti1p1Migration = lti1p1Migration;
        this.contentSelection = contentSelection;
        this.lti11Upgrades = lti11Upgrades;
        this.em = em;
        this.config = config;
        this.clock = clock;
    }

    /** The request as the launch endpoint received it. */
    public record LaunchRequest(String idToken, String state, String error, String errorDescription,
            Function<String, String> cookies, String baseUrl, String storageProof) {
    }

    /** A launch's outcome and the login state it finished (null when the state is not settled yet). */
    public record LaunchResult(LaunchOutcome outcome, LoginState state) {
    }

    /** Not one transaction: reads come from caches or short read transactions, writes are scoped below. */
    public LaunchResult launch(LaunchRequest request) {
        Instant started = clock.instant();
        try {
            LaunchResult result = settle(request);
            metrics.launchSucceeded(switch (result.outcome()) {
                case LaunchOutcome.Redirect r -> "launched";
                case LaunchOutcome.SelectContent c -> "content_selection";
                case LaunchOutcome.ReadPlatformStorage r -> "platform_storage";
                case LaunchOutcome.ChooseAccount c -> "account_choice";
            },
                    Duration.between(started, clock.instant()));
            return result;
        } catch (Rejection rejection) {
            metrics.launchRejected(rejection.code(), Duration.between(started, clock.instant()));
            throw rejection;
        }
    }

    /** The state is read (signature checked) once per launch and handed on. */
    private LaunchResult settle(LaunchRequest request) {
        if (request.error() != null) {
            // OIDC Core §3.1.2.6: the platform refused to authenticate (e.g. login_required)
            throw Rejection.badRequest("platform_error", "the platform refused the login: " + request.error()
                    + (request.errorDescription() == null ? "" : " (" + request.errorDescription() + ")"));
        }
        LoginState read = states.read(request.state());
        if (states.awaitsStorageProof(read, request.cookies(), request.storageProof())) {
            // no cookie came back, but the login stored its secret in the platform: read it back first (§13.3)
            LoginState.PlatformStorage storage = read.storage();
            return new LaunchResult(new LaunchOutcome.ReadPlatformStorage(storage.target(), storage.origin(),
                    read.storageKey(), request.idToken(), request.state()), null);
        }
        LoginState state = states.verify(read, request.cookies(), request.storageProof());
        return new LaunchResult(doLaunch(request, state), state);
    }

    private LaunchOutcome doLaunch(LaunchRequest request, LoginState state) {
        Registration registration = registrations.find(state.registrationId())
                .filter(Registration::hasPlatformDetails)
                .orElseThrow(() -> Rejection.badRequest("unknown_registration",
                        "the registration this login started with no longer exists"));
        LtiLaunch launch = validator.validate(request.idToken(), registration, state);
        Optional<Deployment> deployment = registrations.findDeployment(registration.id, launch.deploymentId());
        if (deployment.isEmpty() && registration.unknownDeploymentPolicy != UnknownDeploymentPolicy.ADD) {
            throw Rejection.badRequest("unknown_deployment", "unknown deployment '" + launch.deploymentId()
                    + "' for platform '" + registration.issuer + "': add it to the registration '" + registration.name
                    + "' or let the registration add unknown deployments");
        }
        if (launch.isDeepLinking()) {
            return QuarkusTransaction.requiringNew().call(() -> deepLinking(launch, registration, deployment, request));
        }
        PublishedResource resource = resolveResource(launch, request.baseUrl());
        RoleClass roleClass = LtiRoles.classify(launch.roles());

        // everything is valid: from here on the launch is written
        if (deployment.isPresent() && launch.lti1p1() == null) {
            // autocommit: one statement needs no BEGIN/COMMIT round trips
            Optional<ReturningUserLaunch.Recorded> recorded = returningUsers.record(launch.nonce(), nonceExpiry(launch),
                    launch.user(), placement(launch, deployment.get().id, resource.id), roleClass,
                    String.join(" ", launch.roles()));
            if (recorded.isPresent()) {
                ReturningUserLaunch.Recorded r = recorded.get();
                return handOff(r.account(), resource, r.contextRowId(), r.resourceLinkRowId(), roleClass, launch,
                        request.baseUrl());
            }
        }
        return QuarkusTransaction.requiringNew()
                .call(() -> firstLaunch(request, registration, deployment, launch, resource, roleClass));
    }

    /** A launch that may add a deployment, carry over an LTI 1.1 account, or create or choose an account. */
    private LaunchOutcome firstLaunch(LaunchRequest request, Registration registration,
            Optional<Deployment> deployment, LtiLaunch launch, PublishedResource resource, RoleClass roleClass) {
        String roles = String.join(" ", launch.roles());
        nonces.consume(launch.nonce(), nonceExpiry(launch));
        Deployment dep = recordDeployment(registration, deployment, launch);
        // a platform moving from LTI 1.1 names the user's 1.1 identity: keep their account (migration guide)
        lti1p1Migration.carryOver(launch);
        // rows are locked in ReturningUserLaunch's order (platform user and account, then context, link,
        // enrolment), so concurrent launches of one user wait for each other instead of deadlocking
        Optional<AccountSummary> linked = accounts.findLinked(launch.user());
        ProvisioningMode mode = resource.provisioningFor(roleClass);
        if (linked.isEmpty() && (mode == ProvisioningMode.AUTO || mode == ProvisioningMode.ANONYMOUS)) {
            linked = Optional.of(accounts.createAndLink(launch.user(), mode == ProvisioningMode.ANONYMOUS));
        }
        PlacementIds ids = placements.record(placement(launch, dep.id, resource.id));
        if (linked.isPresent()) {
            return enterContent(linked.get(), resource, ids.contextRowId(), ids.resourceLinkRowId(), roleClass, launch,
                    request.baseUrl());
        }
        return accountChoice(launch, request, new PendingLaunch(launch.user(), mode, resource.id,
                ids.contextRowId(), ids.resourceLinkRowId(), roleClass, roles, null, null),
                account -> enterContent(account, resource, ids.contextRowId(), ids.resourceLinkRowId(),
                        roleClass, launch, request.baseUrl()));
    }

    /**
     * An LtiDeepLinkingRequest (Deep Linking 2.0 §4.4): teachers only; the request must be answerable
     * before anything is written. Content selection needs an existing account (as in Moodle's tool side):
     * a platform user without one signs in to an existing account, as in existing-only provisioning.
     */
    private LaunchOutcome deepLinking(LtiLaunch launch, Registration registration, Optional<Deployment> deployment,
            LaunchRequest request) {
        if (LtiRoles.classify(launch.roles()) != RoleClass.INSTRUCTOR) {
            throw Rejection.forbidden("deep_linking_not_allowed", "only teachers and course designers can add "
                    + "content from this tool; the platform sent the roles " + launch.roles());
        }
        String selection = contentSelection.begin(launch, registration.id);
        nonces.consume(launch.nonce(), nonceExpiry(launch));
        recordDeployment(registration, deployment, launch);
        Optional<AccountSummary> linked = accounts.findLinked(launch.user());
        if (linked.isPresent()) {
            return new LaunchOutcome.SelectContent(contentSelection.bind(selection, linked.get().id()), null);
        }
        return accountChoice(launch, request, new PendingLaunch(launch.user(), ProvisioningMode.EXISTING_ONLY, null,
                null, null, RoleClass.INSTRUCTOR, String.join(" ", launch.roles()), selection, null),
                account -> new LaunchOutcome.SelectContent(contentSelection.bind(selection, account.id()), null));
    }

    /**
     * Prompt / existing-only provisioning: a signed-in account with the launch's e-mail is linked at once
     * (existing-only); otherwise the account choice page, which {@link #completeChoice} finishes.
     */
    private LaunchOutcome accountChoice(LtiLaunch launch, LaunchRequest request, PendingLaunch pending,
            Function<AccountSummary, LaunchOutcome> proceed) {
        boolean existingOnly = pending.mode() == ProvisioningMode.EXISTING_ONLY;
        if (existingOnly && launch.user().email() == null) {
            throw Rejection.forbidden("email_required", "only existing accounts are admitted here, matched "
                    + "by e-mail, and the platform did not share this user's e-mail address");
        }
        Optional<AccountSummary> signedIn = session.accountId(request.cookies().apply(ToolSession.COOKIE))
                .flatMap(accounts::find);
        if (existingOnly && signedIn.isPresent()
                && AccountService.sameEmail(signedIn.get().email(), launch.user().email())) {
            return proceed.apply(accounts.link(launch.user(), signedIn.get().id()));
        }
        return bindToBrowser(pending, request.cookies(), signedIn.map(AccountSummary::displayName).orElse(null));
    }

    /** The account choice page, bound to this browser (see {@link PendingLaunchCodec#bind}). */
    private LaunchOutcome.ChooseAccount bindToBrowser(PendingLaunch pending, Function<String, String> cookies,
            String signedInAs) {
        PendingLaunchCodec.Bound bound = pendings.bind(pending, cookies);
        LaunchOutcome.ChooseAccount page = choice(bound.pending(), signedInAs, null, null);
        return new LaunchOutcome.ChooseAccount(page.pendingToken(), page.existingOnly(), page.launchName(),
                page.launchEmail(), page.signedInAs(), null, null, page.forContentSelection(), bound.setCookie());
    }

    private Deployment recordDeployment(Registration registration, Optional<Deployment> deployment, LtiLaunch launch) {
        return deployment.orElseGet(() -> registrations.addSeenDeployment(registration, launch.deploymentId()));
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
                    return choice(pending, chosen.displayName(), "The account you are signed in to has another "
                            + "e-mail address than your course account; sign in to the matching one.", null);
                }
                // being signed in is not enough: a page of another site can make the browser send that cookie
                if (!signIns.reauthenticate(chosen, choice.password(), choice.clientAddress())) {
                    return choice(pending, chosen.displayName(), "Wrong password for " + chosen.displayName()
                            + ": type the password of the account you are signed in to.", null);
                }
            }
            case "signin" -> {
                Optional<AccountSummary> authenticated = signIns.signIn(choice.username(), choice.password(),
                        choice.clientAddress());
                if (authenticated.isEmpty()) {
                    return choice(pending, null, "Unknown username or wrong password.", choice.username());
                }
                if (existingOnly && !AccountService.sameEmail(authenticated.get().email(), pending.user().email())) {
                    return choice(pending, null, "The account '" + authenticated.get().username()
                            + "' has another e-mail address than your course account.", choice.username());
                }
                chosen = authenticated.get();
            }
            default -> throw Rejection.badRequest("unknown_action", "unknown choice '" + action + "'");
        }
        AccountSummary verified = chosen;
        return QuarkusTransaction.requiringNew().call(() -> linkChosen(pending, action, verified, choice.baseUrl()));
    }

    private LaunchOutcome linkChosen(PendingLaunch pending, String action, AccountSummary chosen, String baseUrl) {
        PublishedResource resource = pending.isDeepLinking() ? null : resources.find(pending.resourceId())
                .filter(r -> r.enabled)
                .orElseThrow(() -> Rejection.forbidden("resource_disabled", "this resource is no longer available"));
        AccountSummary account = chosen == null ? accounts.createAndLink(pending.user(), false)
                : accounts.link(pending.user(), chosen.id());
        jakarta.ws.rs.core.NewCookie sessionCookie = "signin".equals(action) ? session.open(account.id()) : null;
        if (pending.isDeepLinking()) {
            return new LaunchOutcome.SelectContent(contentSelection.bind(pending.deepLinking(), account.id()),
                    sessionCookie);
        }
        placements.enrol(account.id(), resource.id, pending.contextRowId(), pending.roleClass(), pending.roles());
        HandOff handOff = new HandOff(account.id(), account.username(), account.displayName(), resource.id,
                pending.resourceLinkRowId(), pending.contextRowId(), pending.roleClass(),
                pending.roles().isBlank() ? java.util.List.of() : java.util.List.of(pending.roles().split(" ")),
                pending.user().issuer(), pending.user().subject());
        return new LaunchOutcome.Redirect(handOffs.destination(resource, handOff, baseUrl), sessionCookie);
    }

    private LaunchOutcome enterContent(AccountSummary account, PublishedResource resource, UUID contextRowId,
            UUID linkRowId, RoleClass roleClass, LtiLaunch launch, String baseUrl) {
        placements.enrol(account.id(), resource.id, contextRowId, roleClass, String.join(" ", launch.roles()));
        return handOff(account, resource, contextRowId, linkRowId, roleClass, launch, baseUrl);
    }

    /** The enrolled account goes to the content with a hand-off token. */
    private LaunchOutcome.Redirect handOff(AccountSummary account, PublishedResource resource, UUID contextRowId,
            UUID linkRowId, RoleClass roleClass, LtiLaunch launch, String baseUrl) {
        HandOff handOff = new HandOff(account.id(), account.username(), account.displayName(), resource.id, linkRowId,
                contextRowId, roleClass, launch.roles(), launch.issuer(), launch.user().subject());
        LOG.debugf("launch ok: platform=%s sub=%s account=%s resource=%s role=%s", launch.issuer(),
                launch.user().subject(), account.username(), resource.id, roleClass);
        return new LaunchOutcome.Redirect(handOffs.destination(resource, handOff, baseUrl), null);
    }

    private LaunchOutcome.ChooseAccount choice(PendingLaunch pending, String signedInAs, String error, String username) {
        String name = pending.user().fullName() != null ? pending.user().fullName()
                : joinNames(pending.user().givenName(), pending.user().familyName());
        return new LaunchOutcome.ChooseAccount(pendings.sign(pending), pending.mode() == ProvisioningMode.EXISTING_ONLY,
                name, pending.user().email(), signedInAs, error, username, pending.isDeepLinking(), null);
    }

    /**
     * The published resource a launch is for: the {@code /lti/resources/{id}} path of target_link_uri,
     * else the custom parameter {@code id} (set by deep linking, as Moodle does).
     */
    private PublishedResource resolveResource(LtiLaunch launch, String baseUrl) {
        String prefix = baseUrl + PublishedResourceService.LAUNCH_PATH_PREFIX;
        String candidate = launch.targetLinkUri().startsWith(prefix)
                ? launch.targetLinkUri().substring(prefix.length()).split("[/?#]", 2)[0]
                : launch.custom().get("id");
        if (candidate == null || candidate.isBlank()) {
            // an activity made over LTI 1.1, launched over 1.3 after its platform upgraded (upgrade package)
            candidate = lti11Upgrades.legacyResourceId(launch, baseUrl).map(UUID::toString).orElse(null);
        }
        if (candidate == null || candidate.isBlank()) {
            throw Rejection.notFound("unknown_resource", "the launch names no published resource: target_link_uri '"
                    + launch.targetLinkUri() + "' is not a resource launch URL and there is no custom parameter id");
        }
        UUID id;
        try {
            id = UUID.fromString(candidate.trim());
        } catch (IllegalArgumentException e) {
            throw Rejection.notFound("unknown_resource", "'" + candidate + "' is not a published resource id");
        }
        PublishedResource resource = resources.find(id).orElseThrow(() -> Rejection.notFound("unknown_resource",
                "no published resource with id " + id + ": it may have been deleted"));
        if (!resource.enabled) {
            throw Rejection.forbidden("resource_disabled", "the resource '" + resource.title + "' is disabled");
        }
        return resource;
    }

    private Instant nonceExpiry(LtiLaunch launch) {
        Instant byAge = clock.instant().plus(config.launch().maxIdTokenAge());
        Instant byExp = Instant.ofEpochSecond(launch.expiresAt());
        return (byExp.isAfter(byAge) ? byExp : byAge).plus(config.launch().clockSkew());
    }

    private static LaunchPlacement placement(LtiLaunch launch, UUID deploymentRowId, UUID resourceId) {
        LtiLaunch.ContextClaim c = launch.context();
        LtiLaunch.AgsClaim ags = launch.ags();
        return new LaunchPlacement(deploymentRowId, resourceId, launch.resourceLink().id(), launch.resourceLink().title(),
                c == null ? null : c.id(), c == null ? null : c.label(), c == null ? null : c.title(),
                c == null ? null : c.types(), launch.membershipsUrl(),
                ags == null ? null : ags.lineItems(), ags == null ? null : ags.lineItem(),
                ags == null ? null : ags.scope());
    }

    private static String joinNames(String given, String family) {
        String joined = ((given == null ? "" : given) + " " + (family == null ? "" : family)).trim();
        return joined.isEmpty() ? null : joined;
    }
}
