package org.ltipublisher.legacy;

import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.admission.Admission;
import org.ltipublisher.admission.AdmissionRequest;
import org.ltipublisher.admission.LaunchOutcome;
import org.ltipublisher.admission.LaunchTally;
import org.ltipublisher.admission.NonceStore;
import org.ltipublisher.legacy.ConsumerService.ConsumerCredentials;
import org.ltipublisher.legacy.Lti11LaunchValidator.Lti11Request;
import org.ltipublisher.legacy.outcomes.OutcomeTargets;
import org.ltipublisher.lti.LtiRoles;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.registration.PlatformUrlPolicy;
import org.ltipublisher.resources.ConsumerPlacement;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.web.Rejection;

/**
 * An LTI 1.1 launch from the signed form post to the content: OAuth signature and parameters, then in one
 * transaction nonce, consumer policy (instance GUID), and the admission every launch shares (account,
 * placement, enrolment, hand-off), so a refused launch stores nothing and leaves its nonce unused.
 */
@ApplicationScoped
public class Lti11LaunchService {

    private static final Logger LOG = Logger.getLogger(Lti11LaunchService.class);

    private final Lti11LaunchValidator validator;
    private final NonceStore nonces;
    private final ConsumerService consumers;
    private final PublishedResourceService resources;
    private final Admission admission;
    private final OutcomeTargets outcomeTargets;
    private final PlatformUrlPolicy urlPolicy;
    private final LaunchTally tally;

    public Lti11LaunchService(Lti11LaunchValidator validator, NonceStore nonces, ConsumerService consumers,
            PublishedResourceService resources, Admission admission, OutcomeTargets outcomeTargets,
            PlatformUrlPolicy urlPolicy, LaunchTally tally) {
        this.validator = validator;
        this.nonces = nonces;
        this.consumers = consumers;
        this.resources = resources;
        this.admission = admission;
        this.outcomeTargets = outcomeTargets;
        this.urlPolicy = urlPolicy;
        this.tally = tally;
    }

    /** Counted for the dashboard ({@link LaunchTally}) by outcome, or by the refusal's code. */
    @Transactional
    public LaunchOutcome launch(Lti11Request request, String resourceId, Function<String, String> cookies,
            String baseUrl) {
        try {
            LaunchOutcome outcome = validatedLaunch(request, resourceId, cookies, baseUrl);
            tally.lti11Launched(outcome);
            return outcome;
        } catch (Rejection rejection) {
            tally.lti11Refused(rejection.code());
            throw rejection;
        }
    }

    /** A launch whose parameters cannot even be read, refused (and counted) before any check. */
    public Rejection malformed(String detail) {
        tally.lti11Refused("malformed_request");
        return Rejection.badRequest("malformed_request", "the launch's parameters cannot be read: " + detail);
    }

    private LaunchOutcome validatedLaunch(Lti11Request request, String resourceId, Function<String, String> cookies,
            String baseUrl) {
        Lti11Launch launch = validator.validate(request);
        try {
            return admit(launch, resourceId, cookies, baseUrl);
        } catch (Lti11Rejection rejection) {
            throw rejection;
        } catch (Rejection rejection) {
            // the consumer is authenticated now: its return URL may take the learner back (LTI 1.1
            // Implementation Guide, launch_presentation_return_url with lti_errormsg)
            throw launch.returnUrl() == null ? rejection : new Lti11Rejection(rejection, launch.returnUrl());
        }
    }

    private LaunchOutcome admit(Lti11Launch launch, String resourceId, Function<String, String> cookies,
            String baseUrl) {
        ConsumerCredentials consumer = launch.consumer();
        if (!consumer.enabled()) {
            throw Rejection.forbidden("consumer_disabled", "the LTI 1.1 consumer '" + consumer.name()
                    + "' is switched off in LTI Publisher: ask its administrator to enable it (console: LTI 1.1 consumers)");
        }
        PublishedResource resource = resource(resourceId);

        // everything is valid: from here on the launch is written, in this one transaction
        nonces.consumeOAuth(consumer.id(), launch.oauthNonce(), launch.oauthTimestamp());
        if (launch.instanceGuid() != null && consumer.instanceGuid() == null
                && !consumers.bindInstanceGuid(consumer.id(), launch.instanceGuid())) {
            throw Rejection.forbidden("consumer_instance_mismatch", "another LMS instance launched with the consumer "
                    + "key '" + consumer.consumerKey() + "' first: each LMS needs its own consumer key");
        }
        Admission.Admitted admitted = admission.admit(new AdmissionRequest(launch.user(),
                new ConsumerPlacement(consumer.id(), resource.id, launch.resourceLinkId(), launch.resourceLinkTitle(),
                        launch.contextId(), launch.contextLabel(), launch.contextTitle(), launch.contextTypes()),
                LtiRoles.classify(launch.roles()), launch.roles(), resource, provisioning(consumer), null, cookies,
                baseUrl));
        rememberOutcomeTarget(launch, admitted.placement().resourceLinkRowId());
        return admitted.outcome();
    }

    /**
     * The consumer's auth mode as provisioning: anonymous; auto-link-email (link by e-mail, else a new account
     * from the launch's details); existing-only, also when the consumer requires a user account.
     */
    private static AdmissionRequest.Provisioning provisioning(ConsumerCredentials consumer) {
        ProvisioningMode mode = consumer.authMode() == ConsumerAuthMode.EXISTING_ONLY || consumer.requireUserAccount()
                ? ProvisioningMode.EXISTING_ONLY
                : consumer.authMode() == ConsumerAuthMode.ANONYMOUS ? ProvisioningMode.ANONYMOUS : ProvisioningMode.AUTO;
        return new AdmissionRequest.Provisioning(mode, consumer.authMode() == ConsumerAuthMode.AUTO_LINK_EMAIL,
                "this LMS's users must sign in to an existing LTI Publisher account with their course e-mail "
                        + "address, and the LMS did not send one (lis_person_contact_email_primary): ask the LMS "
                        + "administrator to share e-mail addresses with this tool");
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
        return resources.launchable(id);
    }
}
