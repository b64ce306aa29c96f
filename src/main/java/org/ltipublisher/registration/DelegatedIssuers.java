package org.ltipublisher.registration;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Cloud platforms whose issuer is shared by every customer and whose configuration is served from the
 * customer's own host: Canvas cloud signs as https://canvas.instructure.com (and its beta/test twins)
 * while the openid_configuration URL is https://&lt;school&gt;.instructure.com/api/lti/security/… (Canvas's own LTI 1.3 documentation:
 * a platform deployment fact, where Dynamic Registration 1.0 expects the issuer to prefix that URL).
 * For these issuers only, a configuration served over https from a host under the vendor's domain speaks
 * for the issuer; every other issuer must serve its own configuration (prefix or same origin).
 */
final class DelegatedIssuers {

    /** issuer → the domain its configurations are served under. */
    private static final Map<String, String> VENDOR_DOMAINS = Map.of(
            "https://canvas.instructure.com", "instructure.com",
            "https://canvas.beta.instructure.com", "instructure.com",
            "https://canvas.test.instructure.com", "instructure.com");

    private DelegatedIssuers() {
    }

    /** The vendor's domain when the issuer is shared by the vendor's customers (their LMS runs on its hosts). */
    static Optional<String> vendorDomain(String issuer) {
        return Optional.ofNullable(VENDOR_DOMAINS.get(issuer));
    }

    static boolean servedByVendor(String issuer, URI configurationUrl) {
        String domain = VENDOR_DOMAINS.get(issuer);
        if (domain == null || configurationUrl.getHost() == null
                || !"https".equalsIgnoreCase(configurationUrl.getScheme())) {
            return false;
        }
        String host = configurationUrl.getHost().toLowerCase(Locale.ROOT);
        return host.endsWith("." + domain);
    }
}
