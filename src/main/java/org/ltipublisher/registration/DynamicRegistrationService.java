package org.ltipublisher.registration;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.ltipublisher.web.Rejection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    private final ClientRegistrationRequest requests;
    private final PlatformCalls calls;
    private final RegistrationRepository registrations;
    private final RegistrationService registrationService;
    private final ObjectMapper json;
    private final Clock clock;

    public DynamicRegistrationService(RegistrationUrls urls, PlatformConfigurationReader configurations,
            ClientRegistrationRequest requests, PlatformCalls calls, RegistrationRepository registrations,
            RegistrationService registrationService, ObjectMapper json, Clock clock) {
        this.urls = urls;
        this.configurations = configurations;
        this.requests = requests;
        this.calls = calls;
        this.registrations = registrations;
        this.registrationService = registrationService;
        this.json = json;
        this.clock = clock;
    }

    /** What the administrator sees when the registration completed. */
    public record Completed(String registrationName, String issuer, String clientId, String deploymentId,
            String productFamilyCode, boolean updatedExisting) {
    }

    /** The platform's answer to the client registration (DR 1.0 §3.6). */
    record PlatformAnswer(String clientId, String deploymentId) {
    }

    public Completed register(String token, String openidConfiguration, String registrationToken, String baseUrl) {
        // 404/410 before calling anyone: a stale URL must not make the tool contact a platform
        RegistrationUrls.Pending pending = QuarkusTransaction.requiringNew().call(() -> urls.requireUsable(token));
        PlatformConfiguration platform = configurations.read(openidConfiguration, registrationToken);
        // before registering the tool at that platform: a re-registration URL is for its own issuer only
        QuarkusTransaction.requiringNew().run(() -> registrations.findByIdOptional(pending.registrationId())
                .ifPresent(registration -> requireOwnIssuer(registration, platform)));
        PlatformAnswer answer = registerClient(platform, baseUrl, registrationToken);
        return QuarkusTransaction.requiringNew().call(() -> store(token, platform, answer));
    }

    private PlatformAnswer registerClient(PlatformConfiguration platform, String baseUrl, String registrationToken) {
        Map<String, Object> body = requests.build(platform, baseUrl);
        String payload;
        try {
            payload = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var endpoint = calls.checkUrl("the platform's registration_endpoint", platform.registrationEndpoint(), 502);
        PlatformCalls.Answer answer = calls.postJson("the platform's registration endpoint", endpoint, payload,
                registrationToken);
        if (!answer.ok()) {
            throw new Rejection(502, "platform_registration_refused", "the platform refused the registration at "
                    + endpoint + " with HTTP " + answer.status() + platformError(answer.body())
                    + (answer.status() == 401 || answer.status() == 403
                            ? " — the platform's registration token may have expired; start again from the platform"
                            : ""));
        }
        JsonNode root;
        try {
            root = json.readTree(answer.body());
        } catch (JsonProcessingException e) {
            throw new Rejection(502, "platform_registration_invalid", "the platform's registration answer is not JSON");
        }
        String clientId = PlatformConfigurationReader.text(root, "client_id");
        if (clientId == null) {
            throw new Rejection(502, "platform_registration_invalid",
                    "the platform's registration answer carries no client_id");
        }
        if (clientId.length() > 255) {
            throw new Rejection(502, "platform_registration_invalid", "the platform's client_id is too long");
        }
        JsonNode tool = root.get(ClientRegistrationRequest.TOOL_CONFIGURATION);
        JsonNode deployment = tool == null ? null : tool.get("deployment_id");
        // deployment_id is optional in the registration response (Dynamic Registration 1.0), and Brightspace
        // omits it; numbers are accepted as their text
        String deploymentId = deployment == null || deployment.isNull() || deployment.asText().isBlank() ? null
                : deployment.asText().trim();
        if (deploymentId != null && deploymentId.length() > 255) {
            throw new Rejection(502, "platform_registration_invalid", "the platform's deployment_id is too long");
        }
        return new PlatformAnswer(clientId, deploymentId);
    }

    /**
     * A registration URL fills only the registration it was issued for. A pending one becomes the platform's
     * registration, unless that platform + client is already another registration's (then nothing changes: a
     * silent update would let anyone holding a fresh URL repoint a live platform's keys and endpoints). A URL
     * issued for a registration that already has a platform re-registers it, for that same issuer only.
     */
    private Completed store(String token, PlatformConfiguration platform, PlatformAnswer answer) {
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
        if (answer.deploymentId() != null) {
            registrationService.recordDeployment(registration, answer.deploymentId(), null);
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
        LOG.infof("dynamic registration: %s platform %s client %s deployment %s -> registration '%s' (%s)",
                reRegistration ? "re-registered" : "registered", platform.issuer(), answer.clientId(),
                answer.deploymentId(), registration.name, registration.id);
        return new Completed(registration.name, registration.issuer, registration.clientId, answer.deploymentId(),
                platform.productFamilyCode(), reRegistration);
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

    /** The OAuth error of a refused registration (RFC 7591 §3.2.2), shortened for the admin's page. */
    private String platformError(String body) {
        try {
            JsonNode root = json.readTree(body);
            String error = PlatformConfigurationReader.text(root, "error");
            String description = PlatformConfigurationReader.text(root, "error_description");
            if (error != null || description != null) {
                return ": " + (error == null ? "" : error) + (description == null ? "" : " (" + description + ")");
            }
        } catch (JsonProcessingException | RuntimeException ignored) {
            // not JSON: quote the beginning of the body
        }
        String text = body == null ? "" : body.strip();
        return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
