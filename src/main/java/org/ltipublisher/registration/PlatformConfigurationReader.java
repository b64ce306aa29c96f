package org.ltipublisher.registration;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        // http://issuer@attacker/ names the attacker's host: user information is never part of a platform URL
        if (url.getRawUserInfo() != null) {
            throw Rejection.badRequest("userinfo_in_url", "the platform configuration URL (openid_configuration) "
                    + "must not carry user information before the host ('user@'); use the platform's own URL");
        }
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
        if (issuerUri.getRawUserInfo() != null) {
            throw invalid(url, "its issuer carries user information before the host ('user@')");
        }
        // DR 1.0 §3.4: the issuer must be the platform that serves the configuration, so a page cannot register
        // a configuration it hosts under another platform's issuer. Compared as parsed origins (RFC 6454 §4):
        // a string prefix would let http://issuer@attacker/ or http://issuer.attacker/ pass for http://issuer.
        if (!origin(issuerUri).equals(origin(url)) && !DelegatedIssuers.servedByVendor(issuer, url)) {
            throw Rejection.badRequest("issuer_mismatch", "the platform configuration at " + url
                    + " names the issuer '" + issuer + "', which is not the site serving it; the configuration URL "
                    + "must have the issuer's scheme, host and port");
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
        URI uri = calls.checkUrl("the platform's " + field, value, 502);
        if (uri.getRawUserInfo() != null) {
            throw invalid(configurationUrl, "its " + field + " carries user information before the host ('user@')");
        }
        return value;
    }

    /** RFC 6454 §4: scheme and host compared case-insensitively, the default port made explicit. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
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
