package org.ltipublisher.deeplinking;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.ltipublisher.lti.ClaimValues;
import org.ltipublisher.web.Rejection;

/**
 * The deep_linking_settings claim of an LtiDeepLinkingRequest (Deep Linking 2.0 §4.4.1).
 * {@code acceptLineItem} is null when the platform did not say.
 */
public record DeepLinkingSettings(String returnUrl, List<String> acceptTypes,
        List<String> acceptPresentationDocumentTargets, boolean acceptMultiple, Boolean acceptLineItem, String data,
        String title, String text) {

    /** Deep Linking 2.0 §4.4.1: deep_link_return_url is required, it is where the response goes. */
    static DeepLinkingSettings of(Map<?, ?> settings) {
        if (settings == null) {
            throw Rejection.badRequest("missing_deep_linking_settings",
                    "the deep linking request has no deep_linking_settings claim");
        }
        String returnUrl = ClaimValues.text(settings.get("deep_link_return_url"));
        if (returnUrl == null) {
            throw Rejection.badRequest("missing_deep_link_return_url",
                    "the deep linking request's settings have no deep_link_return_url to send the selection to");
        }
        try {
            URI uri = URI.create(returnUrl);
            if (!uri.isAbsolute() || !(uri.getScheme().equalsIgnoreCase("https")
                    || uri.getScheme().equalsIgnoreCase("http"))) {
                throw Rejection.badRequest("invalid_deep_link_return_url",
                        "deep_link_return_url '" + returnUrl + "' is not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw Rejection.badRequest("invalid_deep_link_return_url",
                    "deep_link_return_url '" + returnUrl + "' is not a valid URL");
        }
        Object data = settings.get("data");
        return new DeepLinkingSettings(returnUrl, ClaimValues.strings(settings.get("accept_types")),
                ClaimValues.strings(settings.get("accept_presentation_document_targets")),
                Boolean.TRUE.equals(settings.get("accept_multiple")),
                settings.get("accept_lineitem") instanceof Boolean b ? b : null,
                data == null ? null : data.toString(), // §4.4.1: an opaque string, echoed unchanged
                ClaimValues.text(settings.get("title")), ClaimValues.text(settings.get("text")));
    }
}
