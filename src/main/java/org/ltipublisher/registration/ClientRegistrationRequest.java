package org.ltipublisher.registration;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.All;

import org.ltipublisher.lti.AdvertisedMessage;
import org.ltipublisher.lti.AgsMediaTypes;
import org.ltipublisher.lti.LtiClaims;
import org.ltipublisher.lti.NrpsMediaTypes;
import org.ltipublisher.lti.ToolPaths;

/**
 * The OpenID client registration this tool sends to a platform (LTI DR 1.0 §3.5), with the
 * per-platform differences chosen by {@code product_family_code}. The messages it advertises are the message
 * handlers' ({@link AdvertisedMessage}): a new handler is advertised without a change here.
 */
@ApplicationScoped
public class ClientRegistrationRequest {

    public static final String TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration";
    public static final String CANVAS_PRIVACY_LEVEL = "https://canvas.instructure.com/lti/privacy_level";
    public static final String TOOL_NAME = "LTI Publisher";
    public static final String ICON_PATH = "/icon.svg";

    /** AGS line items, scores and results (read-only), NRPS membership (read-only): AGS §3.1, NRPS §3.6. */
    static final List<String> SCOPES = List.of(AgsMediaTypes.SCOPE_LINE_ITEM, AgsMediaTypes.SCOPE_SCORE,
            AgsMediaTypes.SCOPE_RESULT_READ, NrpsMediaTypes.SCOPE_MEMBERSHIP_READ);

    private final List<AdvertisedMessage> messages;

    public ClientRegistrationRequest(@All List<AdvertisedMessage> messages) {
        this.messages = messages.stream()
                .sorted(java.util.Comparator.comparingInt(AdvertisedMessage::advertisedOrder)).toList();
    }

    public Map<String, Object> build(PlatformConfiguration platform, String baseUrl) {
        return build(platform, baseUrl, null);
    }

    /**
     * {@code targetLinkUri}: where resource links without their own URL launch, when not the tool's launch URL
     * (an updated LTI 1.1 tool keeps its old resource URL, so its old activities keep opening the same resource).
     */
    public Map<String, Object> build(PlatformConfiguration platform, String baseUrl, String targetLinkUri) {
        String launch = targetLinkUri != null ? targetLinkUri : baseUrl + ToolPaths.LAUNCH;
        String icon = baseUrl + ICON_PATH;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("application_type", "web");
        body.put("response_types", List.of("id_token"));
        body.put("grant_types", List.of("implicit", "client_credentials"));
        body.put("initiate_login_uri", baseUrl + ToolPaths.LOGIN);
        body.put("redirect_uris", messages.stream().map(m -> baseUrl + m.targetPath()).distinct().toList());
        body.put("client_name", TOOL_NAME);
        body.put("logo_uri", icon);
        body.put("jwks_uri", baseUrl + ToolPaths.JWKS);
        body.put("token_endpoint_auth_method", "private_key_jwt");
        // DR 1.0 §3.5: scope is one space-separated string; ask only for what the platform offers, when it says
        List<String> scopes = platform.scopesSupported().isEmpty() ? SCOPES
                : SCOPES.stream().filter(platform.scopesSupported()::contains).toList();
        body.put("scope", String.join(" ", scopes));

        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("domain", URI.create(baseUrl).getAuthority());
        tool.put("target_link_uri", launch);
        tool.put("description", "Published courses, units, activities and problems");
        tool.put("claims", List.of("iss", "sub", "name", "given_name", "family_name", "email"));
        tool.put("custom_parameters", Map.of());
        List<Map<String, Object>> advertised = new ArrayList<>();
        for (AdvertisedMessage m : messages) {
            boolean listed = platform.messagesSupported().isEmpty() ? m.assumedWhenPlatformListsNone()
                    : platform.supports(m.messageType());
            if (m.advertisedToEveryPlatform() || listed) {
                advertised.add(message(platform, m, baseUrl + m.targetPath(), icon));
            }
        }
        tool.put("messages", advertised);
        body.put(TOOL_CONFIGURATION, tool);
        if (platform.isCanvas()) {
            // Canvas ignores `claims` and decides what user data to send from its own privacy level
            body.put(CANVAS_PRIVACY_LEVEL, "public");
        }
        return body;
    }

    private static Map<String, Object> message(PlatformConfiguration platform, AdvertisedMessage advertised,
            String target, String icon) {
        String type = advertised.messageType();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", type);
        message.put("target_link_uri", target);
        List<String> placements = placements(platform, type);
        if (!placements.isEmpty()) {
            message.put("placements", placements);
        }
        if (platform.isCanvas() || !advertised.advertisedToEveryPlatform()) {
            // Canvas refuses messages whose label or icon_uri is null (Canvas LTI 1.3 dynamic registration docs)
            message.put("label", advertised.label(TOOL_NAME));
            message.put("icon_uri", icon);
        }
        return message;
    }

    /** Placements for a message: Canvas's selection placements for deep linking, else what the platform lists. */
    private static List<String> placements(PlatformConfiguration platform, String type) {
        if (platform.isCanvas()) {
            return type.equals(LtiClaims.DEEP_LINKING_REQUEST) ? List.of("link_selection", "assignment_selection")
                    : List.of();
        }
        return type.equals(LtiClaims.DEEP_LINKING_REQUEST) ? platform.placementsFor(type) : List.of();
    }
}
