package org.ltipublisher.registration;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.registration.PlatformConfiguration.SupportedMessage;
import org.ltipublisher.web.Rejection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fetches and validates the platform's OpenID configuration (DR 1.0 §3.3–3.4). Refusals: 400 when the
 * configuration URL itself is unacceptable or claims an issuer it cannot speak for, 502 when the platform
 * answers something unusable.
 */
@ApplicationScoped
public class PlatformConfigurationReader {

    private final PlatformCalls calls;
    private final ObjectMapper json;

    public PlatformConfigurationReader(PlatformCalls calls, ObjectMapper json) {
        this.calls = calls;
        this.json = json;
    }

    public PlatformConfiguration read(String configurationUrl, String registrationToken) {
        if (configurationUrl == null || configurationUrl.isBlank()) {
            throw Rejection.badRequest("missing_openid_configuration", "the platform opened the registration URL "
                    + "without the openid_configuration parameter; start the registration from the platform's "
                    + "tool registration page");
        }
        URI url = calls.checkUrl("the platform configuration URL (openid_configuration)", configurationUrl, 400);
        PlatformCalls.Answer answer = calls.get("the platform configuration", url, registrationToken);
        if (!answer.ok()) {
            throw new Rejection(502, "platform_configuration_unavailable", "the platform configuration at " + url
                    + " answered HTTP " + answer.status());
        }
        JsonNode root;
        try {
            root = json.readTree(answer.body());
        } catch (JsonProcessingException e) {
            throw invalid(url, "it is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw invalid(url, "it is not a JSON object");
        }
        String issuer = text(root, "issuer");
        if (issuer == null) {
            throw invalid(url, "it has no issuer");
        }
        URI issuerUri = calls.checkUrl("the platform issuer", issuer, 502);
        // DR 1.0 §3.4: the issuer must be the platform that serves the configuration, so a page cannot
        // register a configuration it hosts under another platform's issuer (digest §7.2: prefix or same origin)
        if (!configurationUrl.trim().startsWith(issuer) && !PlatformCalls.sameOrigin(issuerUri, url)
                && !DelegatedIssuers.servedByVendor(issuer, url)) {
            throw Rejection.badRequest("issuer_mismatch", "the platform configuration at " + url
                    + " names the issuer '" + issuer + "', which is not the site serving it; the configuration URL "
                    + "must belong to the issuer");
        }
        String authorization = endpoint(root, "authorization_endpoint", url);
        String token = endpoint(root, "token_endpoint", url);
        String jwks = endpoint(root, "jwks_uri", url);
        String registration = endpoint(root, "registration_endpoint", url);
        JsonNode methods = root.get("token_endpoint_auth_methods_supported");
        if (methods != null && !strings(methods).contains("private_key_jwt")) {
            throw invalid(url, "token_endpoint_auth_methods_supported " + strings(methods)
                    + " lacks private_key_jwt, the only method this tool uses (Security Framework §4.1)");
        }
        JsonNode lti = root.get(PlatformConfiguration.PLATFORM_CONFIGURATION);
        if (lti == null || !lti.isObject()) {
            throw invalid(url, "it has no " + PlatformConfiguration.PLATFORM_CONFIGURATION + " object");
        }
        return new PlatformConfiguration(issuer, authorization, token, jwks, registration,
                text(root, "authorization_server"), strings(root.get("scopes_supported")),
                text(lti, "product_family_code"), text(lti, "version"), messages(lti));
    }

    /** Spec and Canvas list objects {type, placements}; Moodle plain strings with a sibling placements array. */
    private static List<SupportedMessage> messages(JsonNode lti) {
        List<SupportedMessage> messages = new ArrayList<>();
        JsonNode supported = lti.get("messages_supported");
        if (supported == null || !supported.isArray()) {
            return messages;
        }
        List<String> siblingPlacements = strings(lti.get("placements"));
        for (JsonNode entry : supported) {
            if (entry.isTextual()) {
                messages.add(new SupportedMessage(entry.asText(), siblingPlacements));
            } else if (entry.isObject() && text(entry, "type") != null) {
                messages.add(new SupportedMessage(text(entry, "type"), strings(entry.get("placements"))));
            }
        }
        return messages;
    }

    private String endpoint(JsonNode root, String field, URI configurationUrl) {
        String value = text(root, field);
        if (value == null) {
            throw invalid(configurationUrl, "it has no " + field);
        }
        calls.checkUrl("the platform's " + field, value, 502);
        return value;
    }

    private static Rejection invalid(URI url, String why) {
        return new Rejection(502, "platform_configuration_invalid", "the platform configuration at " + url
                + " cannot be used: " + why);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText().trim() : null;
    }

    static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(v -> {
                if (v.isTextual()) {
                    values.add(v.asText());
                }
            });
        }
        return values;
    }
}
