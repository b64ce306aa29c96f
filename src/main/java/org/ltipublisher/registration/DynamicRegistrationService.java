package org.ltipublisher.registration;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.ltipublisher.web.Rejection;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Dynamic registration (DR 1.0 §3): registration URL → platform configuration → client registration →
 * stored registration. The slow platform calls run outside any transaction; only the final write is
 * transactional and re-checks the URL under a row lock. Every failure before that write leaves the
 * pending registration and its URL exactly as they were, so the administrator can retry.
 */
@ApplicationScoped
public class DynamicRegistrationService {

    private static final Logger LOG = Logger.getLogger(DynamicRegistrationService.class);

    private final RegistrationUrls urls;
    private final PlatformConfigurationReader configurations;
    private final ClientRegistrar registrar;
    private final RegistrationRepository registrations;
    private final RegistrationService registrationService;
    private final Lti11ToolUpdate upgrades;
    private final Clock clock;

    public DynamicRegistrationService(RegistrationUrls urls, PlatformConfigurationReader configurations,
            ClientRegistrar registrar, RegistrationRepository registrations, RegistrationService registrationService,
            Lti11ToolUpdate upgrades, Clock clock) {
        this.urls = urls;
        this.configurations = configurations;
        this.registrar = registrar;
        this.registrations = registrations;
        this.registrationService = registrationService;
        this.upgrades = upgrades;
        this.clock = clock;
    }

    /** What the administrator sees when the registration completed. */
    public record Completed(String registrationName, String issuer, String clientId, String deploymentId,
            String productFamilyCode, boolean updatedExisting, String upgradedConsumer) {
    }

    public Completed register(String token, String openidConfiguration, String registrationToken, String baseUrl) {
        // 404/410 before calling anyone: a stale URL must not make the tool contact a platform
        RegistrationUrls.Pending pending = QuarkusTransaction.requiringNew().call(() -> urls.requireUsable(token));
        PlatformConfiguration platform = configurations.read(openidConfiguration, registrationToken);
        // before registering the tool at that platform: a re-registration URL is for its own issuer only
        QuarkusTransaction.requiringNew().run(() -> registrations.findByIdOptional(pending.registrationId())
                .ifPresent(registration -> requireOwnIssuer(registration, platform)));
        // a platform updating its LTI 1.1 tool proves it holds the consumer's secret before anything is registered
        Optional<Lti11ToolUpdate.Upgrade> upgrade = registrar.existingTool(platform, registrationToken)
                .flatMap(existing -> upgrades.verify(existing, baseUrl, pending.registrationId()));
        ClientRegistrar.PlatformAnswer answer = registrar.register(platform, baseUrl, registrationToken,
                upgrade.map(Lti11ToolUpdate.Upgrade::targetLinkUri).orElse(null));
        return QuarkusTransaction.requiringNew().call(() -> store(token, platform, answer, upgrade));
    }

    /**
     * A registration URL fills only the registration it was issued for. A pending one becomes the platform's
     * registration, unless that platform + client is already another registration's (then nothing changes: a
     * silent update would let anyone holding a fresh URL repoint a live platform's keys and endpoints). A URL
     * issued for a registration that already has a platform re-registers it, for that same issuer only.
     */
    private Completed store(String token, PlatformConfiguration platform, ClientRegistrar.PlatformAnswer answer,
            Optional<Lti11ToolUpdate.Upgrade> upgrade) {
        RegistrationUrls.Pending pending = urls.lockUsable(token);
        Registration registration = registrations.findByIdOptional(pending.registrationId())
                .orElseThrow(() -> Rejection.notFound("unknown_registration", "the registration was deleted meanwhile"));
        boolean reRegistration = registration.issuer != null;
        requireOwnIssuer(registration, platform);
        registrations.findByIssuerAndClientId(platform.issuer(), answer.clientId())
                .filter(other -> !other.id.equals(registration.id))
                .ifPresent(other -> {
                    throw alreadyRegistered(other.name);
                });
        urls.consume(pending);
        registration.issuer = platform.issuer();
        registration.clientId = answer.clientId();
        registration.authenticationRequestUrl = platform.authorizationEndpoint();
        registration.accessTokenUrl = platform.tokenEndpoint();
        registration.jwksUrl = platform.jwksUri();
        registration.tokenAudience = platform.authorizationServer();
        registration.productFamilyCode = platform.productFamilyCode();
        registration.registeredDynamicallyAt = registration.updatedAt = clock.instant();
        Deployment deployment = null;
        if (answer.deploymentId() != null) {
            deployment = registrationService.recordDeployment(registration, answer.deploymentId(), null);
        } else if (registration.deployments.isEmpty()) {
            // no deployment_id in the answer: the first launch's deployment is accepted (Brightspace)
            registration.unknownDeploymentPolicy = UnknownDeploymentPolicy.ADD;
        }
        try {
            registrations.flush();
        } catch (PersistenceException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            // another URL registered the same platform + client a moment ago (registration_issuer_client)
            throw alreadyRegistered("another registration");
        }
        UUID deploymentRowId = deployment == null ? null : deployment.id;
        upgrade.ifPresent(u -> upgrades.linkRegistered(u, registration.id, deploymentRowId,
                answer.deploymentId()));
        LOG.infof("dynamic registration: %s platform %s client %s deployment %s -> registration '%s' (%s)",
                reRegistration ? "re-registered" : "registered", platform.issuer(), answer.clientId(),
                answer.deploymentId(), registration.name, registration.id);
        return new Completed(registration.name, registration.issuer, registration.clientId, answer.deploymentId(),
                platform.productFamilyCode(), reRegistration, upgrade.map(Lti11ToolUpdate.Upgrade::consumerName)
                        .orElse(null));
    }

    private static void requireOwnIssuer(Registration registration, PlatformConfiguration platform) {
        if (registration.issuer != null && !registration.issuer.equals(platform.issuer())) {
            throw Rejection.conflict("reregistration_other_issuer", "this registration URL re-registers '"
                    + registration.name + "' of platform '" + registration.issuer + "', but the platform using it is '"
                    + platform.issuer() + "'; to add another platform, the tool administrator creates a new registration");
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    private static Rejection alreadyRegistered(String name) {
        return Rejection.conflict("platform_already_registered", "this platform is already registered as '" + name
                + "'; nothing was changed. An administrator can re-register it from that registration "
                + "(a new registration URL for it: POST /api/v1/registrations/{id}/registration-url)");
    }
}
