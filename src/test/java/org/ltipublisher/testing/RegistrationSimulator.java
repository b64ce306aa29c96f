package org.ltipublisher.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/**
 * The platform side of LTI Dynamic Registration 1.0 on a {@link PlatformSimulator}: an OpenID configuration
 * at {@code /.well-known/openid-configuration} and a registration endpoint at {@code /register}, shaped like
 * Moodle, Canvas or Brightspace. Every field can be changed by a test to break one rule at a time.
 */
public final class RegistrationSimulator {

    public enum Family {
        MOODLE("moodle"), CANVAS("canvas"), BRIGHTSPACE("desire2learn");

        final String code;

        Family(String code) {
            this.code = code;
        }
    }

    /** One client registration the tool POSTed. */
    public record RegistrationCall(String authorization, Map<String, Object> body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlatformSimulator platform;
    private final Family family;
    /** The configuration served (mutable: tests break it). */
    public final Map<String, Object> configuration;
    /** When set, served instead of {@link #configuration} (bad JSON, oversize answers...). */
    public volatile String rawConfiguration;
    public volatile int configurationStatus = 200;
    /** Non-2xx: the registration endpoint refuses with an OAuth error. */
    public volatile int registrationStatus = 200;
    /** The bearer token the registration endpoint demands (opaque, or Moodle's JWT once {@link #updating}). */
    public volatile String registrationToken = "reg-" + UUID.randomUUID();
    /**
     * The tool configuration a GET of the registration endpoint answers (Moodle's openid-registration.php on an
     * update: registration_helper::config_to_registration of the existing type); null: 404.
     */
    public volatile Map<String, Object> existingTool;
    private final List<String> configurationReads = new CopyOnWriteArrayList<>();
    /** What the registration endpoint answers as client_id. */
    public volatile String clientId;
    /** What it answers as deployment_id (null: omitted, as Brightspace may). */
    public volatile String deploymentId;
    private final List<RegistrationCall> calls = new CopyOnWriteArrayList<>();

    public RegistrationSimulator(PlatformSimulator platform, Family family) {
        this.platform = platform;
        this.family = family;
        this.configuration = defaultConfiguration();
        switch (family) {
            case MOODLE -> {
                clientId = "moodle-" + UUID.randomUUID().toString().substring(0, 8);
                deploymentId = "3";
            }
            case CANVAS -> {
                clientId = "1000000000" + (System.nanoTime() % 100000);
                deploymentId = "42:" + UUID.randomUUID().toString().replace("-", "");
            }
            case BRIGHTSPACE -> {
                clientId = UUID.randomUUID().toString();
                deploymentId = null;
            }
        }
        platform.route("/.well-known/openid-configuration", this::serveConfiguration);
        platform.route("/register", this::register);
    }

    public String configurationUrl() {
        return platform.issuer() + "/.well-known/openid-configuration";
    }

    public List<RegistrationCall> calls() {
        return new ArrayList<>(calls);
    }

    /** The Authorization headers of the GETs of the existing tool's configuration. */
    public List<String> existingToolReads() {
        return new ArrayList<>(configurationReads);
    }

    /**
     * Moodle's "update" of an existing tool type: the registration token is a JWT with scope "reg-update" and
     * the type id as sub (mod/lti/startltiadvregistration.php; signature not checked by the tool, which only reads
     * the scope), the registration answers with that type id as deployment, and a GET returns {@code tool}.
     */
    public void updating(String typeId, Map<String, Object> tool) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"" + typeId + "\",\"scope\":\"reg-update\",\"iat\":" + now
                + ",\"exp\":" + (now + 3600) + "}").getBytes(StandardCharsets.UTF_8));
        registrationToken = header + "." + payload + "." + b64.encodeToString(UUID.randomUUID().toString()
                .getBytes(StandardCharsets.UTF_8));
        deploymentId = typeId;
        existingTool = tool;
    }

    /**
     * An LTI 1.1 tool type as Moodle describes it on an update (registration_helper::config_to_registration with
     * add_previous_key_claim): version LTI-1p0, the type's base URL as target_link_uri, and oauth_consumer
     * {key, nonce, sign = hex(SHA-256(key + secret + nonce))}.
     */
    public static Map<String, Object> previousLti11Tool(String typeId, String baseUrl, String key, String secret) {
        String nonce = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String sign;
        try {
            sign = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((key + secret + nonce).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("version", "LTI-1p0");
        config.put("oauth_consumer", Map.of("key", key, "nonce", nonce, "sign", sign));
        config.put("deployment_id", typeId);
        config.put("target_link_uri", baseUrl);
        config.put("domain", java.net.URI.create(baseUrl).getAuthority());
        config.put("description", "");
        config.put("claims", List.of("sub", "iss", "name", "family_name", "given_name", "email"));
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("client_name", "LTI Publisher (1.1)");
        registration.put("logo_uri", "");
        registration.put("scope", "");
        registration.put("https://purl.imsglobal.org/spec/lti-tool-configuration", config);
        return registration;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> platformConfiguration() {
        return (Map<String, Object>) configuration.get("https://purl.imsglobal.org/spec/lti-platform-configuration");
    }

    private Map<String, Object> defaultConfiguration() {
        String iss = platform.issuer();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("issuer", iss);
        c.put("token_endpoint", platform.tokenUrl());
        c.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        c.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256"));
        c.put("jwks_uri", platform.jwksUrl());
        c.put("authorization_endpoint", platform.authUrl());
        c.put("registration_endpoint", iss + "/register");
        c.put("scopes_supported", List.of("openid",
                "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                "https://purl.imsglobal.org/spec/lti-ags/scope/score",
                "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"));
        c.put("response_types_supported", List.of("id_token"));
        c.put("subject_types_supported", List.of("public", "pairwise"));
        c.put("id_token_signing_alg_values_supported", List.of("RS256"));
        c.put("claims_supported", List.of("sub", "iss", "name", "given_name", "family_name", "email"));
        Map<String, Object> lti = new LinkedHashMap<>();
        lti.put("product_family_code", family.code);
        switch (family) {
            case MOODLE -> {
                // Moodle's mod/lti/openid-configuration.php: plain strings plus a sibling placements array
                lti.put("version", "4.3");
                lti.put("messages_supported", List.of("LtiResourceLinkRequest", "LtiDeepLinkingRequest"));
                lti.put("placements", List.of("AddContentMenu"));
            }
            case CANVAS -> {
                lti.put("version", "OpenSource");
                lti.put("messages_supported", List.of(
                        Map.of("type", "LtiResourceLinkRequest", "placements", List.of("course_navigation")),
                        Map.of("type", "LtiDeepLinkingRequest",
                                "placements", List.of("link_selection", "assignment_selection", "editor_button"))));
                lti.put("https://canvas.instructure.com/lti/account_name", "Simulated University");
                c.put("authorization_server", iss + "/login/oauth2/token");
            }
            case BRIGHTSPACE -> {
                lti.put("version", "20.24.1");
                lti.put("messages_supported", List.of(
                        Map.of("type", "LtiResourceLinkRequest"),
                        Map.of("type", "LtiDeepLinkingRequest", "placements", List.of("ContentArea"))));
                c.put("authorization_server", iss + "/core/connect/token");
            }
        }
        lti.put("variables", List.of("Context.id", "ResourceLink.id"));
        c.put("https://purl.imsglobal.org/spec/lti-platform-configuration", lti);
        return c;
    }

    private void serveConfiguration(HttpExchange exchange) throws IOException {
        String body = rawConfiguration != null ? rawConfiguration : JSON.writeValueAsString(configuration);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        PlatformSimulator.send(exchange, configurationStatus, body);
    }

    @SuppressWarnings("unchecked")
    private void register(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (exchange.getRequestMethod().equals("GET")) {
            configurationReads.add(String.valueOf(authorization));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (!("Bearer " + registrationToken).equals(authorization)) {
                PlatformSimulator.send(exchange, 401, "missing_registration_token");
            } else if (existingTool == null) {
                PlatformSimulator.send(exchange, 404, "No registration found.");
            } else {
                PlatformSimulator.send(exchange, 200, JSON.writeValueAsString(existingTool));
            }
            return;
        }
        Map<String, Object> body;
        try {
            body = JSON.readValue(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), Map.class);
        } catch (IOException e) {
            PlatformSimulator.send(exchange, 400, "{\"error\":\"invalid_client_metadata\"}");
            return;
        }
        calls.add(new RegistrationCall(authorization, body));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (!("Bearer " + registrationToken).equals(authorization)) {
            PlatformSimulator.send(exchange, 401, "{\"error\":\"invalid_token\",\"error_description\":\"registration token missing or expired\"}");
            return;
        }
        if (registrationStatus / 100 != 2) {
            PlatformSimulator.send(exchange, registrationStatus, registrationStatus >= 500
                    ? "upstream database unavailable"
                    : "{\"error\":\"invalid_client_metadata\",\"error_description\":\"label must not be empty\"}");
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>(body);
        answer.put("client_id", clientId);
        Map<String, Object> tool = new LinkedHashMap<>(
                (Map<String, Object>) body.getOrDefault("https://purl.imsglobal.org/spec/lti-tool-configuration", Map.of()));
        if (deploymentId != null) {
            tool.put("deployment_id", deploymentId);
        }
        answer.put("https://purl.imsglobal.org/spec/lti-tool-configuration", tool);
        PlatformSimulator.send(exchange, family == Family.CANVAS ? 200 : 201, JSON.writeValueAsString(answer));
    }
}
