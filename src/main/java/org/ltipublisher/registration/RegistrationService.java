package org.ltipublisher.registration;

import org.ltipublisher.lti.ToolPaths;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.ShortLivedCache;
import org.ltipublisher.registration.RegistrationDtos.DeploymentRequest;
import org.ltipublisher.registration.RegistrationDtos.DeploymentView;
import org.ltipublisher.registration.RegistrationDtos.PlatformDetails;
import org.ltipublisher.registration.RegistrationDtos.RegistrationRequest;
import org.ltipublisher.registration.RegistrationDtos.RegistrationView;
import org.ltipublisher.registration.RegistrationDtos.ToolDetails;
import org.ltipublisher.web.Rejection;

/** Manual registration (Moodle's "Tool details" / "Platform details" / "Manage deployments"). */
@ApplicationScoped
public class RegistrationService {

    private static final Logger LOG = Logger.getLogger(RegistrationService.class);

    public static final String LOGIN_PATH = ToolPaths.LOGIN;
    public static final String LAUNCH_PATH = ToolPaths.LAUNCH;
    public static final String DEEP_LINKING_PATH = ToolPaths.DEEP_LINKING;
    public static final String JWKS_PATH = ToolPaths.JWKS;

    private final RegistrationRepository registrations;
    private final DeploymentRepository deployments;
    private final PlatformUrlPolicy urls;
    private final RegistrationUrls registrationUrls;
    private final Clock clock;
    /** Login and launch lookups; entries are detached entities, read but never changed. */
    private final ShortLivedCache<String, Registration> byLogin;
    private final ShortLivedCache<UUID, Registration> byId;
    private final ShortLivedCache<String, Deployment> byDeployment;
    private final FramingOrigins framingOrigins;

    public RegistrationService(RegistrationRepository registrations, DeploymentRepository deployments,
            PlatformUrlPolicy urls, RegistrationUrls registrationUrls, LtiConfig config, Clock clock,
            FramingOrigins framingOrigins) {
        this.framingOrigins = framingOrigins;
        this.registrations = registrations;
        this.deployments = deployments;
        this.urls = urls;
        this.registrationUrls = registrationUrls;
        this.clock = clock;
        this.byLogin = new ShortLivedCache<>(config.lookupCacheTtl(), clock);
        this.byId = new ShortLivedCache<>(config.lookupCacheTtl(), clock);
        this.byDeployment = new ShortLivedCache<>(config.lookupCacheTtl(), clock);
    }

    /** Registrations or deployments changed on this replica: forget what was cached. */
    private void changed() {
        byLogin.clear();
        byId.clear();
        byDeployment.clear();
        framingOrigins.clear();
    }

    @Transactional
    public RegistrationView create(RegistrationRequest request, String baseUrl) {
        Registration registration = new Registration();
        registration.id = UUID.randomUUID();
        registration.name = requireName(request);
        if (request.unknownDeploymentPolicy() != null) {
            registration.unknownDeploymentPolicy = request.unknownDeploymentPolicy();
        }
        registration.createdAt = registration.updatedAt = clock.instant();
        registrations.persist(registration);
        registrations.flush(); // the registration URL row references it
        return view(registration, baseUrl).withRegistrationUrl(registrationUrls.issue(registration.id, baseUrl));
    }

    /** A new one-time dynamic registration URL for an existing registration (e.g. the first one expired). */
    @Transactional
    public RegistrationDtos.RegistrationUrlView issueRegistrationUrl(UUID id, String baseUrl) {
        return new RegistrationDtos.RegistrationUrlView(registrationUrls.issue(require(id).id, baseUrl));
    }

    @Transactional
    public List<RegistrationView> list(String baseUrl) {
        return registrations.listByName().stream().map(r -> view(r, baseUrl)).toList();
    }

    @Transactional
    public RegistrationView get(UUID id, String baseUrl) {
        return view(require(id), baseUrl);
    }

    @Transactional
    public RegistrationView update(UUID id, RegistrationRequest request, String baseUrl) {
        changed();
        Registration registration = require(id);
        registration.name = requireName(request);
        if (request.unknownDeploymentPolicy() != null) {
            registration.unknownDeploymentPolicy = request.unknownDeploymentPolicy();
        }
        registration.updatedAt = clock.instant();
        return view(registration, baseUrl);
    }

    @Transactional
    public void delete(UUID id) {
        changed();
        registrations.delete(require(id));
    }

    @Transactional
    public RegistrationView setPlatform(UUID id, PlatformDetails details, String baseUrl) {
        changed();
        Registration registration = require(id);
        if (details == null) {
            throw Rejection.unprocessable("missing_body", "platform details are required");
        }
        String issuer = urls.require("issuer", details.issuer());
        String clientId = requireText("clientId", details.clientId());
        registrations.findByIssuerAndClientId(issuer, clientId)
                .filter(other -> !other.id.equals(id))
                .ifPresent(other -> {
                    throw Rejection.conflict("duplicate_registration", "issuer '" + issuer + "' with client id '"
                            + clientId + "' is already registered as '" + other.name + "' (" + other.id + ")");
                });
        registration.issuer = issuer;
        registration.clientId = clientId;
        registration.authenticationRequestUrl = urls.require("authenticationRequestUrl", details.authenticationRequestUrl());
        registration.accessTokenUrl = urls.optional("accessTokenUrl", details.accessTokenUrl());
        registration.jwksUrl = urls.require("jwksUrl", details.jwksUrl());
        registration.tokenAudience = blankToNull(details.tokenAudience());
        registration.updatedAt = clock.instant();
        return view(registration, baseUrl);
    }

    @Transactional
    public DeploymentView addDeployment(UUID registrationId, DeploymentRequest request) {
        changed();
        Registration registration = require(registrationId);
        if (request == null) {
            throw Rejection.unprocessable("missing_body", "deploymentId is required");
        }
        String deploymentId = requireText("deploymentId", request.deploymentId());
        if (deploymentId.length() > 255) {
            throw Rejection.unprocessable("invalid_deployment_id", "deploymentId is longer than 255 characters");
        }
        if (deployments.find(registrationId, deploymentId).isPresent()) {
            throw Rejection.conflict("duplicate_deployment",
                    "deployment '" + deploymentId + "' is already listed for registration '" + registration.name + "'");
        }
        Deployment deployment = newDeployment(registration, deploymentId, blankToNull(request.name()), false);
        registration.deployments.add(deployment);
        return DeploymentView.of(deployment);
    }

    @Transactional
    public List<DeploymentView> listDeployments(UUID registrationId) {
        return require(registrationId).deployments.stream().map(DeploymentView::of).toList();
    }

    @Transactional
    public void removeDeployment(UUID registrationId, String deploymentId) {
        changed();
        require(registrationId);
        Deployment deployment = deployments.find(registrationId, deploymentId)
                .orElseThrow(() -> Rejection.notFound("unknown_deployment",
                        "deployment '" + deploymentId + "' is not listed for this registration"));
        deployments.delete(deployment);
    }

    /**
     * The registration a login initiation is for: issuer + client_id, or the issuer alone when only one
     * registration has it (Core §4.1: client_id is optional in the login request).
     */
    public Registration findForLogin(String issuer, String clientId) {
        if (clientId != null && !clientId.isBlank()) {
            return byLogin.get(issuer + "\n" + clientId, () -> QuarkusTransaction.joiningExisting()
                    .call(() -> registrations.findByIssuerAndClientId(issuer, clientId)))
                    .orElseThrow(() -> Rejection.badRequest("unknown_client",
                            "no registration for platform '" + issuer + "' with client id '" + clientId
                                    + "': check the client id in the registration's platform details"));
        }
        Optional<Registration> unique = byLogin.get(issuer + "\n", () -> QuarkusTransaction.joiningExisting()
                .call(() -> {
                    List<Registration> found = registrations.findByIssuer(issuer);
                    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.<Registration>empty();
                }));
        if (unique.isPresent()) {
            return unique.get();
        }
        List<Registration> candidates = QuarkusTransaction.joiningExisting().call(() -> registrations.findByIssuer(issuer));
        if (candidates.isEmpty()) {
            throw Rejection.badRequest("unknown_issuer", "platform '" + issuer + "' is not registered with this tool");
        }
        if (candidates.size() > 1) {
            throw Rejection.badRequest("ambiguous_issuer", "platform '" + issuer + "' has " + candidates.size()
                    + " registrations and the login request carried no client_id to choose between them");
        }
        return candidates.get(0);
    }

    /** Cached: a launch finds its registration without starting a transaction. */
    public Optional<Registration> find(UUID id) {
        return byId.get(id, () -> QuarkusTransaction.joiningExisting().call(() -> registrations.findByIdOptional(id)));
    }

    /** The listed deployment, or empty when the platform uses a deployment id this registration does not list. */
    public Optional<Deployment> findDeployment(UUID registrationId, String deploymentId) {
        return byDeployment.get(registrationId + "\n" + deploymentId, () -> QuarkusTransaction.joiningExisting()
                .call(() -> deployments.find(registrationId, deploymentId)));
    }

    /** Records a deployment first seen at launch under the {@link UnknownDeploymentPolicy#ADD} policy. */
    public Deployment addSeenDeployment(Registration registration, String deploymentId) {
        if (deployments.addSeen(registration.id, deploymentId, clock.instant())) {
            LOG.infof("added deployment '%s' to registration '%s' on first launch", deploymentId, registration.name);
        }
        return deployments.find(registration.id, deploymentId).orElseThrow();
    }

    /** The listed deployment with this id, added (as listed, not auto-added) when missing: DR 1.0 §3.6. */
    public Deployment recordDeployment(Registration registration, String deploymentId, String name) {
        return deployments.find(registration.id, deploymentId)
                .orElseGet(() -> {
                    Deployment added = newDeployment(registration, deploymentId, name, false);
                    registration.deployments.add(added);
                    return added;
                });
    }

    public ToolDetails toolDetails(String baseUrl) {
        return new ToolDetails(URI.create(baseUrl).getHost(), baseUrl + LOGIN_PATH, baseUrl + LAUNCH_PATH,
                List.of(baseUrl + LAUNCH_PATH), baseUrl + DEEP_LINKING_PATH, baseUrl + JWKS_PATH);
    }

    private Deployment newDeployment(Registration registration, String deploymentId, String name, boolean autoAdded) {
        Deployment deployment = new Deployment();
        deployment.id = UUID.randomUUID();
        deployment.registration = registration;
        deployment.deploymentId = deploymentId;
        deployment.name = name;
        deployment.autoAdded = autoAdded;
        deployment.createdAt = clock.instant();
        deployments.persist(deployment);
        return deployment;
    }

    private Registration require(UUID id) {
        return registrations.findByIdOptional(id)
                .orElseThrow(() -> Rejection.notFound("unknown_registration", "no registration with id " + id));
    }

    private RegistrationView view(Registration r, String baseUrl) {
        PlatformDetails platform = r.issuer == null ? null
                : new PlatformDetails(r.issuer, r.clientId, r.authenticationRequestUrl, r.accessTokenUrl, r.jwksUrl,
                        r.tokenAudience);
        return new RegistrationView(r.id, r.name, r.status(), r.unknownDeploymentPolicy, platform,
                r.deployments.stream().map(DeploymentView::of).toList(), toolDetails(baseUrl), r.createdAt,
                r.updatedAt, null);
    }

    private static String requireName(RegistrationRequest request) {
        if (request == null) {
            throw Rejection.unprocessable("missing_body", "name is required");
        }
        String name = requireText("name", request.name());
        if (name.length() > 255) {
            throw Rejection.unprocessable("invalid_name", "name is longer than 255 characters");
        }
        return name;
    }

    private static String requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Rejection.unprocessable("missing_field", field + " is required");
        }
        return value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

}
