package org.ltipublisher.registration;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.outbound.AddressPolicy;
import org.ltipublisher.web.Rejection;

/**
 * Platform URLs must be absolute https URLs (Core §3: all LTI URLs are https; http only when
 * {@code lti.registration.allow-http} is on, for development and tests) on a host the tool may call
 * ({@link AddressPolicy}: public addresses, plus {@code lti.outbound.allowed-networks}). A host name that
 * does not resolve yet is accepted: every call checks the address it connects to anyway.
 */
@ApplicationScoped
public class PlatformUrlPolicy {

    private final AddressPolicy addresses;

    public PlatformUrlPolicy(AddressPolicy addresses) {
        this.addresses = addresses;
    }

    /** Returns the URL unchanged, or refuses it with 422 naming the field. */
    public String require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Rejection.unprocessable("missing_field", field + " is required");
        }
        String url = value.trim();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw Rejection.unprocessable("invalid_url", field + " is not a valid URL: '" + url + "'");
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw Rejection.unprocessable("invalid_url", field + " must be an absolute URL: '" + url + "'");
        }
        if (uri.getFragment() != null) {
            throw Rejection.unprocessable("invalid_url", field + " must not carry a #fragment: '" + url + "'");
        }
        String scheme = uri.getScheme().toLowerCase();
        boolean https = scheme.equals("https");
        if (!https && !(scheme.equals("http") && addresses.allowsHttp())) {
            throw Rejection.unprocessable("insecure_url", field + " must use https: '" + url + "'");
        }
        String host = uri.getHost();
        var refused = addresses.refusalOfHost(host);
        if (refused.isPresent()) {
            throw Rejection.unprocessable("private_address", field + " points to an address the tool does not call ("
                    + refused.get() + "): '" + url + "'; platforms must be on a public host, or their network listed "
                    + "in lti.outbound.allowed-networks");
        }
        return url;
    }

    public String optional(String field, String value) {
        return value == null || value.isBlank() ? null : require(field, value);
    }
}
