package org.ltipublisher.legacy;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.accounts.ToolSession;
import org.ltipublisher.content.HandOff;
import org.ltipublisher.content.HandOffService;
import org.ltipublisher.launch.LaunchOutcome;
import org.ltipublisher.lti.LtiRoles;
import org.ltipublisher.launch.PendingLaunch;
import org.ltipublisher.launch.PendingLaunchCodec;
import org.ltipublisher.legacy.ConsumerService.ConsumerCredentials;
import org.ltipublisher.legacy.Lti11LaunchValidator.Lti11Request;
import org.ltipublisher.registration.PlatformUrlPolicy;
import org.ltipublisher.resources.ConsumerPlacement;
import org.ltipublisher.resources.PlacementService;
import org.ltipublisher.resources.PlacementService.PlacementIds;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.web.Rejection;

/**
 * An LTI 1.1 launch from the signed form post to the content: validate everything first, then write
 * in one transaction (nonce, instance GUID, context, link, outcome target, account, enrolment), so a
 * refused launch stores nothing and leaves its nonce unused. Provisioning follows the consumer's auth
 * mode; enrolment and hand-off are the 1.3 launch's.
 */
@ApplicationScoped
public class Lti11LaunchService {

    private static final Logger LOG = Logger.getLogger(Lti11LaunchService.class);

    private final Lti11LaunchValidator validator;
    private final Lti11NonceStore nonces;
    private final ConsumerService consumers;
    private final PublishedResourceService resources;
    private final PlacementService placements;
    private final OutcomeTargets outcomeTargets;
    private final PlatformUrlPolicy urlPolicy;
    private final AccountService accounts;
    private final ToolSession session;
    private final PendingLaunchCodec pendings;
    private final HandOffService handOffs;
    private final LtiConfig config;
    private final Clock clock;

    public Lti11LaunchService(Lti11LaunchValidator validator, Lti11NonceStore nonces, ConsumerService consumers,
            PublishedResourceService resources, PlacementService placements, OutcomeTargets outcomeTargets,
            PlatformUrlPolicy urlPolicy, AccountService accounts, ToolSession session, PendingLaunchCodec pendings,
            HandOffService handOffs, LtiConfig config, Clock clock) {
        this.validator = validator;
        this.nonces = nonces;
        this.consumers = consumers;
        this.resources = resources;
        this.placements = placements;
        this.outcomeTargets = outcomeTargets;
        this.urlPolicy = urlPolicy;
        this.accounts = accounts;
        this.session = session;
        this.pendings = pendings;
        this.handOffs = handOffs;
        this.config = config;
        this.clock = clock;
    }

    @Transactional
    public LaunchOutcome launch(Lti11Request request, String resourceId, Function<String, String> cookies,
            String baseUrl) {
        Lti11Launch launch = validator.validate(request);
        try {
            return admit(launch, resourceId, cookies, baseUrl);
        } catch (Lti11Rejection rejection) {
            throw rejection;
        } catch (Rejection rejection) {
            // the consumer is authenticated now: its return URL may take the learner back (digest §11.1)
            throw launch.returnUrl() == null ? rejection : new Lti11Rejection(rejection, launch.returnUrl());
        }
    }

    private LaunchOutcome admit(Lti11Launch launch, String resourceId, Function<String, String> cookies,
            String baseUrl) {
        PublishedResource resource = resource(resourceId);
        RoleClass roleClass = LtiRoles.classify(launch.roles());
        ConsumerCredentials consumer = launch.consumer();

        // everything is valid: from here on the launch is written, in this one transaction
        nonces.consume(consumer.id(), launch.oauthNonce(), nonceExpiry(launch));
        if (launch.instanceGuid() != null && consumer.instanceGuid() == null
                && !consumers.bindInstanceGuid(consumer.id(), launch.instanceGuid())) {
            throw Rejection.forbidden("consumer_instance_mismatch", "another LMS instance launched with the consumer "
                    + "key '" + consumer.consumerKey() + "' first: each LMS needs its own consumer key");
        }
        PlacementIds ids = placements.recordForConsumer(new ConsumerPlacement(consumer.id(), resource.id,
                launch.resourceLinkId(), launch.resourceLinkTitle(), launch.contextId(), launch.contextLabel(),
                launch.contextTitle(), launch.contextTypes()));
        rememberOutcomeTarget(launch, ids.resourceLinkRowId());
        Admitted admitted = new Admitted(launch, resource, ids, roleClass, baseUrl);

        Optional<AccountSummary> linked = accounts.findLinked(launch.user());
        if (linked.isPresent()) {
            return enter(linked.get(), admitted);
        }
        String email = launch.user().email();
        if (consumer.authMode() == ConsumerAuthMode.AUTO_LINK_EMAIL) {
            Optional<AccountSummary> byEmail = accounts.findByEmail(email);
            if (byEmail.isPresent()) {
                return enter(accounts.link(launch.user(), byEmail.get().id()), admitted);
            }
        }
        if (consumer.authMode() == ConsumerAuthMode.EXISTING_ONLY || consumer.requireUserAccount()) {
            if (email == null) {
                throw Rejection.forbidden("email_required", "this LMS's users must sign in to an existing LTI "
                        + "Publisher account with their course e-mail address, and the LMS did not send one "
                        + "(lis_person_contact_email_primary): ask the LMS administrator to share e-mail addresses "
                        + "with this tool");
            }
            Optional<AccountSummary> signedIn = session.accountId(cookies.apply(ToolSession.COOKIE))
                    .flatMap(accounts::find);
            if (signedIn.isPresent() && AccountService.sameEmail(signedIn.get().email(), email)) {
                return enter(accounts.link(launch.user(), signedIn.get().id()), admitted);
            }
            // the 1.3 launch's sign-in page: only an account with the launch's e-mail is accepted there
            PendingLaunch pending = new PendingLaunch(launch.user(), ProvisioningMode.EXISTING_ONLY, resource.id,
                    ids.contextRowId(), ids.resourceLinkRowId(), roleClass, String.join(" ", launch.roles()), null,
                    null);
            PendingLaunchCodec.Bound bound = pendings.bind(pending, cookies);
            return new LaunchOutcome.ChooseAccount(pendings.sign(bound.pending()), true, launch.user().fullName(),
                    email, signedIn.map(AccountSummary::displayName).orElse(null), null, null, false,
                    bound.setCookie());
        }
        // anonymous: generated name and e-mail, nothing personal; auto-link-email without a match (or without
        // an e-mail, keyed by the LTI user id alone): a new account from the launch's details
        return enter(accounts.createAndLink(launch.user(), consumer.authMode() == ConsumerAuthMode.ANONYMOUS), admitted);
    }

    private record Admitted(Lti11Launch launch, PublishedResource resource, PlacementIds ids, RoleClass roleClass,
            String baseUrl) {
    }

    private LaunchOutcome enter(AccountSummary account, Admitted a) {
        String roles = String.join(" ", a.launch().roles());
        placements.enrol(account.id(), a.resource().id, a.ids().contextRowId(), a.roleClass(), roles);
        HandOff handOff = new HandOff(account.id(), account.username(), account.displayName(), a.resource().id,
                a.ids().resourceLinkRowId(), a.ids().contextRowId(), a.roleClass(), a.launch().roles(),
                a.launch().user().issuer(), a.launch().user().subject());
        LOG.debugf("lti 1.1 launch ok: consumer=%s user=%s account=%s resource=%s role=%s",
                a.launch().consumer().consumerKey(), a.launch().user().subject(), account.username(), a.resource().id,
                a.roleClass());
        return new LaunchOutcome.Redirect(handOffs.destination(a.resource(), handOff, a.baseUrl()), null);
    }

    private void rememberOutcomeTarget(Lti11Launch launch, UUID linkRowId) {
        if (launch.outcomeServiceUrl() == null || launch.resultSourcedId() == null) {
            return;
        }
        try {
            urlPolicy.require("lis_outcome_service_url", launch.outcomeServiceUrl());
        } catch (Rejection e) {
            // the launch itself is fine; grades just cannot go to an unsafe URL
            LOG.warnf("consumer %s: not keeping the outcome service of user %s: %s",
                    launch.consumer().consumerKey(), launch.user().subject(), e.getMessage());
            return;
        }
        outcomeTargets.remember(launch.consumer().id(), linkRowId, launch.user().subject(), launch.outcomeServiceUrl(),
                launch.resultSourcedId());
    }

    private PublishedResource resource(String resourceId) {
        UUID id;
        try {
            id = UUID.fromString(resourceId);
        } catch (IllegalArgumentException e) {
            throw Rejection.notFound("unknown_resource", "'" + resourceId + "' is not a published resource id: "
                    + "check the launch URL in the LMS");
        }
        PublishedResource resource = resources.find(id).orElseThrow(() -> Rejection.notFound("unknown_resource",
                "no published resource with id " + id + ": it may have been deleted"));
        if (!resource.enabled) {
            throw Rejection.forbidden("resource_disabled", "the resource '" + resource.title + "' is disabled");
        }
        return resource;
    }

    /** Kept while the timestamp is acceptable: after that the window refuses the replay anyway. */
    private Instant nonceExpiry(Lti11Launch launch) {
        Instant stamped = Instant.ofEpochSecond(launch.oauthTimestamp());
        Instant now = clock.instant();
        return (stamped.isAfter(now) ? stamped : now).plus(config.legacy().timestampWindow()).plusSeconds(1);
    }
}
