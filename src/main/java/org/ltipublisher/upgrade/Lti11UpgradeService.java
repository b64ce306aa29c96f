package org.ltipublisher.upgrade;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;
import org.ltipublisher.accounts.AccountMergeStore;
import org.ltipublisher.accounts.AccountMergeStore.MergePair;
import org.ltipublisher.accounts.AccountMergeStore.Merged;
import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.legacy.ConsumerService;
import org.ltipublisher.legacy.ConsumerService.ConsumerCredentials;
import org.ltipublisher.legacy.Lti11Identity;
import org.ltipublisher.registration.Deployment;
import org.ltipublisher.registration.ExistingTool;
import org.ltipublisher.registration.Lti11ToolUpdate;
import org.ltipublisher.lti.ToolPaths;
import org.ltipublisher.registration.Registration;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.resources.ConsumerPlacementSharing;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.upgrade.ConsumerLinkStore.ConsumerLink;
import org.ltipublisher.upgrade.UpgradeDtos.LinkRequest;
import org.ltipublisher.upgrade.UpgradeDtos.LinkView;
import org.ltipublisher.upgrade.UpgradeDtos.PairView;
import org.ltipublisher.web.Rejection;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A platform's upgrade from LTI 1.1 to 1.3: an LTI 1.1 consumer is linked to the 1.3 registration (and
 * deployment) it became, either by Moodle's dynamic registration "update" of the 1.1 tool (which proves it
 * holds the consumer's secret) or by an administrator. For a linked consumer, the 1.3 launches of the old
 * activities open the same resources, land on the same contexts and resource links, and their users keep
 * the accounts of their 1.1 launches, by the link's user-matching rule.
 */
@ApplicationScoped
public class Lti11UpgradeService implements Lti11ToolUpdate {

    private static final Logger LOG = Logger.getLogger(Lti11UpgradeService.class);

    private final ConsumerLinkStore links;
    private final ConsumerService consumers;
    private final RegistrationService registrations;
    private final AccountService accounts;
    private final AccountMergeStore matching;
    private final AccountMerges merges;
    private final ConsumerPlacementSharing placements;
    private final Clock clock;

    public Lti11UpgradeService(ConsumerLinkStore links, ConsumerService consumers, RegistrationService registrations,
            AccountService accounts, AccountMergeStore matching, AccountMerges merges,
            ConsumerPlacementSharing placements, Clock clock) {
        this.links = links;
        this.consumers = consumers;
        this.registrations = registrations;
        this.accounts = accounts;
        this.matching = matching;
        this.merges = merges;
        this.placements = placements;
        this.clock = clock;
    }

    // --- dynamic registration "update" of an LTI 1.1 tool (Moodle) ---------------------------------------------

    /**
     * Checks the existing tool's {@code oauth_consumer} proof before anything is registered. Moodle adds it for
     * an LTI 1.1 tool type (registration_helper::add_previous_key_claim): sign = hex(SHA-256(key + secret +
     * nonce)). A tool without it (an LTI 1.3 tool being updated) is a plain re-registration. An unknown key or a
     * wrong sign refuses the whole registration: the platform's 1.1 tool then stays as it was and keeps
     * working, whereas registering anyway would convert it and send its old activities, unlinked, to new
     * accounts (the very split this avoids), and a link must never rest on an unproven secret.
     */
    @Override
    public Optional<Upgrade> verify(ExistingTool existing, String baseUrl, UUID registrationId) {
        ExistingTool.OAuthConsumer proof = existing.oauthConsumer();
        if (proof == null) {
            return Optional.empty();
        }
        if (proof.key() == null || proof.nonce() == null || proof.sign() == null) {
            throw Rejection.badRequest("lti11_proof_incomplete", "the platform is updating an LTI 1.1 tool, but its "
                    + "oauth_consumer lacks key, nonce or sign; nothing was registered");
        }
        ConsumerCredentials consumer = consumers.findByKey(proof.key()).orElseThrow(() -> Rejection.badRequest(
                "unknown_lti11_consumer", "the platform is updating an LTI 1.1 tool with consumer key '" + proof.key()
                        + "', which is not configured in LTI Publisher; nothing was registered. Create that consumer "
                        + "with the same key and secret first, or add LTI Publisher to the platform as a new tool"));
        if (!signMatches(proof, consumer.secret())) {
            LOG.warnf("dynamic registration update for consumer key '%s' refused: oauth_consumer.sign does not match "
                    + "the consumer's secret", proof.key());
            throw Rejection.forbidden("lti11_proof_invalid", "the platform is updating the LTI 1.1 tool of consumer '"
                    + consumer.name() + "' (key '" + proof.key() + "'), but its oauth_consumer.sign does not match the "
                    + "secret LTI Publisher has for that key; nothing was registered or linked. Check that the tool "
                    + "type in the platform has the same consumer secret as the consumer in LTI Publisher");
        }
        // before the platform is told anything: a consumer upgrades to one registration only
        QuarkusTransaction.requiringNew().run(() -> links.find(consumer.id())
                .filter(link -> !link.registrationId().equals(registrationId)).ifPresent(link -> {
                    throw alreadyLinked(consumer.name(), link);
                }));
        return Optional.of(new Upgrade(consumer.id(), consumer.name(), keptTarget(existing.targetLinkUri(), baseUrl)));
    }

    /** Constant-time comparison of hex(SHA-256(key + secret + nonce)), case-insensitive hex. */
    static boolean signMatches(ExistingTool.OAuthConsumer proof, String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((proof.key() + secret + proof.nonce()).getBytes(StandardCharsets.UTF_8));
            byte[] expected = HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
            byte[] given = proof.sign().trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, given);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Moodle makes the registered target_link_uri the tool type's base URL, where every activity without its own
     * URL launches. An old base URL that is one of this tool's resource URLs is kept, so those activities keep
     * opening the resource they opened over 1.1; any other old URL gives way to the tool's launch URL (the
     * activities are then found by their resource link id, see {@link #legacyResourceId}).
     */
    static String keptTarget(String oldTarget, String baseUrl) {
        if (oldTarget == null) {
            return null;
        }
        boolean ours = oldTarget.startsWith(baseUrl + ToolPaths.LTI11_RESOURCE_LAUNCH_PREFIX)
                || oldTarget.startsWith(baseUrl + ToolPaths.RESOURCE_LAUNCH_PREFIX);
        return ours ? oldTarget : null;
    }

    @Override
    public void linkRegistered(Upgrade upgrade, UUID registrationId, UUID deploymentRowId, String deploymentId) {
        ConsumerLink link = new ConsumerLink(upgrade.consumerId(), registrationId, deploymentRowId, deploymentId,
                UserMatching.SAME_ID, "DYNAMIC_REGISTRATION", clock.instant());
        if (!links.save(link)) {
            throw alreadyLinked(upgrade.consumerName(), links.find(upgrade.consumerId()).orElseThrow());
        }
        ConsumerPlacementSharing.Shared shared = deploymentRowId == null ? new ConsumerPlacementSharing.Shared(0, 0)
                : placements.shareAll(upgrade.consumerId(), deploymentRowId);
        LOG.infof("lti 1.1 consumer '%s' upgraded by dynamic registration to registration %s deployment %s "
                + "(same-id users; %d contexts and %d resource links shared)", upgrade.consumerName(), registrationId,
                deploymentId, shared.contexts(), shared.resourceLinks());
    }

    private static Rejection alreadyLinked(String consumerName, ConsumerLink link) {
        return Rejection.conflict("consumer_already_linked", "the LTI 1.1 consumer '" + consumerName
                + "' is already linked to registration " + link.registrationId() + "; nothing was changed. "
                + "To link it elsewhere, unlink it first: DELETE /api/v1/consumers/" + link.consumerId() + "/link");
    }

    // --- launch hooks --------------------------------------------------------------------------------------------

    /**
     * The resource of a 1.3 launch that names none by the tool's own rules (no /lti/resources/ URL, no custom
     * id): an old 1.1 resource URL as target_link_uri, else, for a consumer linked to this registration, the
     * resource its 1.1 launches of the same resource link id opened (Moodle keeps resource link ids).
     */
    public Optional<UUID> legacyResourceId(MigratingLaunch launch, String baseUrl) {
        String prefix = baseUrl + ToolPaths.LTI11_RESOURCE_LAUNCH_PREFIX;
        if (launch.targetLinkUri() != null && launch.targetLinkUri().startsWith(prefix)) {
            String id = launch.targetLinkUri().substring(prefix.length()).split("[/?#]", 2)[0];
            try {
                return Optional.of(UUID.fromString(id.trim()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (launch.resourceLinkId() == null) {
            return Optional.empty();
        }
        for (ConsumerLink link : linksOf(launch)) {
            Optional<UUID> resource = placements.resourceOfConsumerLink(link.consumerId(), launch.resourceLinkId());
            if (resource.isPresent()) {
                return resource;
            }
        }
        return Optional.empty();
    }

    /**
     * In the launch's transaction, before its account lookup: for a consumer linked to this registration and
     * deployment, shares the launch's context and resource link (same-id links) and links a new 1.3 user to the
     * account of the matching 1.1 user.
     */
    public void carryOver(MigratingLaunch launch) {
        List<ConsumerLink> linked = linksOf(launch);
        if (linked.isEmpty()) {
            return;
        }
        Optional<UUID> deploymentRow = deploymentRow(launch);
        String contextId = launch.contextId();
        String linkId = launch.resourceLinkId();
        for (ConsumerLink link : linked) {
            if (link.matching() == UserMatching.SAME_ID && deploymentRow.isPresent()) {
                placements.shareLaunch(link.consumerId(), deploymentRow.get(), contextId, linkId);
            }
        }
        if (accounts.findLinked(launch.user()).isPresent()) {
            return;
        }
        for (ConsumerLink link : linked) {
            Optional<UUID> legacyAccount = switch (link.matching()) {
                case SAME_ID -> accounts.findLinked(Lti11Identity.of(link.consumerId(), launch.user().subject(), null,
                        null, null, null)).map(AccountSummary::id);
                case SAME_EMAIL -> matching.accountWithEmail(Lti11Identity.issuer(link.consumerId()),
                        launch.user().email());
            };
            if (legacyAccount.isPresent()) {
                accounts.link(launch.user(), legacyAccount.get());
                LOG.debugf("1.3 user %s of %s linked to the account of their LTI 1.1 launches (%s, consumer %s)",
                        launch.user().subject(), launch.issuer(), link.matching().wireName(), link.consumerId());
                return;
            }
        }
    }

    /** Whether {@link #carryOver} has anything to carry for this launch (an LTI 1.1 consumer linked to it). */
    public boolean linksConsumers(MigratingLaunch launch) {
        return !linksOf(launch).isEmpty();
    }

    private List<ConsumerLink> linksOf(MigratingLaunch launch) {
        Registration registration;
        try {
            registration = registrations.findForLogin(launch.issuer(), launch.clientId());
        } catch (Rejection unknown) {
            return List.of();
        }
        List<ConsumerLink> all = links.forRegistration(registration.id);
        if (all.isEmpty()) {
            return all;
        }
        Optional<UUID> deploymentRow = registrations.findDeployment(registration.id, launch.deploymentId())
                .map(d -> d.id);
        return all.stream().filter(l -> l.deploymentRowId() == null
                || deploymentRow.filter(l.deploymentRowId()::equals).isPresent()).toList();
    }

    private Optional<UUID> deploymentRow(MigratingLaunch launch) {
        return registrations.findDeployment(registrations.findForLogin(launch.issuer(), launch.clientId()).id,
                launch.deploymentId()).map(d -> d.id);
    }

    // --- administrator's link ------------------------------------------------------------------------------------

    /**
     * Links a consumer to a registration (and optionally one deployment) by hand, for platforms that send
     * neither Moodle's update proof nor the lti1p1 claim, and merges the accounts the matching rule pairs. A dry
     * run lists those pairs and changes nothing.
     */
    @Transactional
    public LinkView link(UUID consumerId, LinkRequest request, boolean dryRun, String admin) {
        ConsumerCredentials consumer = consumers.find(consumerId).orElseThrow(() -> Rejection.notFound(
                "unknown_consumer", "no LTI 1.1 consumer with id " + consumerId));
        if (request == null || request.registrationId() == null || request.registrationId().isBlank()) {
            throw Rejection.unprocessable("missing_field", "registrationId is required: the id of the LTI 1.3 "
                    + "registration this consumer's platform now uses");
        }
        UUID registrationId;
        try {
            registrationId = UUID.fromString(request.registrationId().trim());
        } catch (IllegalArgumentException e) {
            throw Rejection.unprocessable("invalid_registration_id", "registrationId '" + request.registrationId()
                    + "' is not a registration id (UUID)");
        }
        Registration registration = registrations.find(registrationId).orElseThrow(() -> Rejection.unprocessable(
                "unknown_registration", "no registration with id " + registrationId));
        if (!registration.hasPlatformDetails()) {
            throw Rejection.unprocessable("registration_incomplete", "the registration '" + registration.name
                    + "' has no platform details yet: register the platform first");
        }
        UserMatching rule = UserMatching.fromWire(request.userMatching()).orElseThrow(() -> Rejection.unprocessable(
                "invalid_user_matching", "userMatching '" + request.userMatching() + "' is not one of same-id (the "
                        + "1.3 sub is the 1.1 user_id) or same-email (the accounts' e-mail addresses are equal)"));
        Deployment deployment = null;
        if (request.deploymentId() != null && !request.deploymentId().isBlank()) {
            deployment = registrations.findDeployment(registration.id, request.deploymentId().trim())
                    .orElseThrow(() -> Rejection.unprocessable("unknown_deployment", "deployment '"
                            + request.deploymentId() + "' is not listed for the registration '" + registration.name
                            + "'"));
        }
        links.find(consumerId).filter(l -> !l.registrationId().equals(registration.id))
                .ifPresent(l -> {
                    throw alreadyLinked(consumer.name(), l);
                });
        String legacyIssuer = Lti11Identity.issuer(consumerId);
        List<MergePair> pairs = rule == UserMatching.SAME_ID ? matching.sameIdPairs(legacyIssuer, registration.issuer)
                : matching.sameEmailPairs(legacyIssuer, registration.issuer);
        List<PairView> views = pairs.stream().map(PairView::of).toList();
        String deploymentId = deployment == null ? null : deployment.deploymentId;
        if (dryRun) {
            return new LinkView(consumerId, registration.id, deploymentId, rule.wireName(), true, views, List.of(), 0, 0);
        }
        UUID deploymentRowId = deployment == null ? null : deployment.id;
        if (!links.save(new ConsumerLink(consumerId, registration.id, deploymentRowId, deploymentId, rule, "ADMIN",
                clock.instant()))) {
            throw alreadyLinked(consumer.name(), links.find(consumerId).orElseThrow());
        }
        ConsumerPlacementSharing.Shared shared = rule == UserMatching.SAME_ID && deploymentRowId != null
                ? placements.shareAll(consumerId, deploymentRowId)
                : new ConsumerPlacementSharing.Shared(0, 0);
        List<Merged> merged = new ArrayList<>();
        for (MergePair pair : pairs) {
            merged.add(merges.mergeInTransaction(pair.targetAccountId(), pair.sourceAccountId(), admin,
                    "consumer-link " + rule.wireName()));
        }
        LOG.infof("audit: lti 1.1 consumer '%s' linked to registration '%s' deployment %s by %s (%s): %d accounts "
                + "merged, %d contexts and %d resource links shared", consumer.name(), registration.name, deploymentId,
                admin, rule.wireName(), merged.size(), shared.contexts(), shared.resourceLinks());
        return new LinkView(consumerId, registration.id, deploymentId, rule.wireName(), false, views, merged,
                shared.contexts(), shared.resourceLinks());
    }

    @Transactional
    public LinkView find(UUID consumerId) {
        consumers.find(consumerId).orElseThrow(() -> Rejection.notFound("unknown_consumer",
                "no LTI 1.1 consumer with id " + consumerId));
        ConsumerLink link = links.find(consumerId).orElseThrow(() -> Rejection.notFound("consumer_not_linked",
                "the LTI 1.1 consumer " + consumerId + " is not linked to an LTI 1.3 registration"));
        return new LinkView(consumerId, link.registrationId(), link.deploymentId(), link.matching().wireName(), false,
                List.of(), List.of(), 0, 0);
    }

    /** Every linked consumer's 1.3 registration (consumer id → registration id), for listing consumers. */
    public Map<UUID, UUID> linkedRegistrations() {
        return links.all().stream().collect(Collectors.toMap(ConsumerLink::consumerId,
                ConsumerLink::registrationId));
    }

    @Transactional
    public void unlink(UUID consumerId, String admin) {
        consumers.find(consumerId).orElseThrow(() -> Rejection.notFound("unknown_consumer",
                "no LTI 1.1 consumer with id " + consumerId));
        if (!links.delete(consumerId)) {
            throw Rejection.notFound("consumer_not_linked", "the LTI 1.1 consumer " + consumerId
                    + " is not linked to an LTI 1.3 registration");
        }
        LOG.infof("audit: lti 1.1 consumer %s unlinked by %s (accounts already linked or merged stay so)", consumerId,
                admin);
    }
}
