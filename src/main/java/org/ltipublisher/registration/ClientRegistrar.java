package org.ltipublisher.registration;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.web.Rejection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The two registration-endpoint calls of dynamic registration: reading the tool configuration a platform
 * offers when it updates an existing tool, and posting the client registration (DR 1.0 §3.5–3.6).
 */
@ApplicationScoped
public class ClientRegistrar {

    private static final Logger LOG = Logger.getLogger(ClientRegistrar.class);

    /** Moodle's registration token scope for updating an existing tool type (registration_helper). */
    static final String UPDATE_SCOPE = "reg-update";

    private final ClientRegistrationRequest requests;
    private final PlatformCalls calls;
    private final ObjectMapper json;

    public ClientRegistrar(ClientRegistrationRequest requests, PlatformCalls calls, ObjectMapper json) {
        this.requests = requests;
        this.calls = calls;
        this.json = json;
    }

    /** The platform's answer to the client registration (DR 1.0 §3.6). */
    public record PlatformAnswer(String clientId, String deploymentId) {
    }

    /**
     * The existing tool's configuration, when the registration token says this is an update. Moodle signs its
     * registration token as a JWT whose scope is "reg-update" for an update, and then answers a GET of its
     * registration endpoint (bearer: that token) with the tool type as a client registration
     * (mod/lti/openid-registration.php, registration_helper::config_to_registration). The token's payload is
     * only read to decide whether to ask; what counts is the proof the configuration carries. Other tokens are
     * opaque (DR 1.0 §3.3): no call.
     */
    public Optional<ExistingTool> existingTool(PlatformConfiguration platform, String registrationToken) {
        if (!isUpdateToken(registrationToken)) {
            return Optional.empty();
        }
        var endpoint = calls.checkUrl("the platform's registration_endpoint", platform.registrationEndpoint(), 502);
        PlatformCalls.Answer answer = calls.get("the existing tool configuration", endpoint, registrationToken);
        if (!answer.ok()) {
            throw new Rejection(502, "existing_tool_unavailable", "the platform is updating a tool it already has, "
                    + "but its registration endpoint " + endpoint + " answered HTTP " + answer.status()
                    + " when asked for that tool's configuration; nothing was registered: start the update again "
                    + "from the platform");
        }
        JsonNode tool;
        try {
            JsonNode root = json.readTree(answer.body());
            tool = root == null ? null : root.get(ClientRegistrationRequest.TOOL_CONFIGURATION);
        } catch (JsonProcessingException e) {
            tool = null;
        }
        if (tool == null || !tool.isObject()) {
            throw new Rejection(502, "existing_tool_invalid", "the platform's configuration of the tool it is "
                    + "updating is not a client registration with " + ClientRegistrationRequest.TOOL_CONFIGURATION
                    + "; nothing was registered");
        }
        JsonNode consumer = tool.get("oauth_consumer");
        ExistingTool.OAuthConsumer proof = consumer == null || !consumer.isObject() ? null
                : new ExistingTool.OAuthConsumer(PlatformConfigurationReader.text(consumer, "key"),
                        PlatformConfigurationReader.text(consumer, "nonce"),
                        PlatformConfigurationReader.text(consumer, "sign"));
        JsonNode deployment = tool.get("deployment_id");
        return Optional.of(new ExistingTool(PlatformConfigurationReader.text(tool, "version"),
                PlatformConfigurationReader.text(tool, "target_link_uri"),
                deployment == null || deployment.isNull() ? null : deployment.asText(), proof));
    }

    boolean isUpdateToken(String token) {
        if (token == null) {
            return false;
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            JsonNode payload = json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                    StandardCharsets.UTF_8));
            return payload != null && UPDATE_SCOPE.equals(payload.path("scope").asText());
        } catch (IllegalArgumentException | JsonProcessingException e) {
            LOG.debugf("registration token is not a readable JWT: treated as opaque (%s)", e.getMessage());
            return false;
        }
    }

    /** Posts the client registration; {@code targetLinkUri} null: the tool's own launch URL. */
    public PlatformAnswer register(PlatformConfiguration platform, String baseUrl, String registrationToken,
            String targetLinkUri) {
        Map<String, Object> body = requests.build(platform, baseUrl, targetLinkUri);
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
        // Brightspace may omit deployment_id; numbers are accepted as their text
        String deploymentId = deployment == null || deployment.isNull() || deployment.asText().isBlank() ? null
                : deployment.asText().trim();
        if (deploymentId != null && deploymentId.length() > 255) {
            throw new Rejection(502, "platform_registration_invalid", "the platform's deployment_id is too long");
        }
        return new PlatformAnswer(clientId, deploymentId);
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
