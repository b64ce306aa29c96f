package org.ltipublisher.registration;

import java.util.List;

/**
 * The parts of a platform's OpenID configuration dynamic registration uses (DR 1.0 §3.3, §3.4), already
 * validated. {@code messagesSupported} are message types; {@code placements} the placements the platform
 * advertises for each, merged from the object form (spec, Canvas) and Moodle's sibling array.
 */
public record PlatformConfiguration(
        String issuer,
        String authorizationEndpoint,
        String tokenEndpoint,
        String jwksUri,
        String registrationEndpoint,
        String authorizationServer,
        List<String> scopesSupported,
        String productFamilyCode,
        String version,
        List<SupportedMessage> messagesSupported) {

    public static final String PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration";

    /** One entry of {@code messages_supported}. */
    public record SupportedMessage(String type, List<String> placements) {
    }

    public boolean supports(String messageType) {
        return messagesSupported.isEmpty() || messagesSupported.stream().anyMatch(m -> m.type().equals(messageType));
    }

    public List<String> placementsFor(String messageType) {
        return messagesSupported.stream().filter(m -> m.type().equals(messageType)).findFirst()
                .map(SupportedMessage::placements).orElse(List.of());
    }

    /** Canvas (product_family_code "canvas") wants label/icon_uri per message and its privacy level field. */
    public boolean isCanvas() {
        return "canvas".equalsIgnoreCase(productFamilyCode);
    }
}
