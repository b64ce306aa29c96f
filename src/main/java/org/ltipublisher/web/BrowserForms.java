package org.ltipublisher.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

/**
 * The guard of the forms the tool's own pages post (account choice, sign-in, sign-out, content selection,
 * sample activity score): the request must come from one of the tool's pages in this browser.
 * <ul>
 * <li>Origin: the {@code Origin} header (RFC 6454 §7), or the {@code Referer}'s origin when a browser sent
 * no Origin, must be the tool's public origin. Neither header at all is let through: browsers send Origin on
 * every cross-site POST, so only non-browser clients omit both, and the token below still stops those.</li>
 * <li>Token: the form's {@code csrf-token} field must equal the browser's HttpOnly CSRF cookie
 * ({@link CsrfToken}), the double-submit cookie of Quarkus REST CSRF.</li>
 * </ul>
 * Quarkus REST CSRF's own filter is not installed: in 3.31 it checks every form POST of the application and,
 * even with {@code verify-token=false}, refuses a POST without its cookie (quarkus#53715), which would refuse
 * the signed cross-site posts of platforms ({@code /lti/login}, {@code /lti/launch}, LTI 1.1 launches). Those
 * are authenticated by their signatures and take no CSRF token.
 */
@ApplicationScoped
public class BrowserForms {

    /** Form field and cookie of the token; the field has the Quarkus REST CSRF default name. */
    public static final String FIELD = "csrf-token";
    public static final String COOKIE = "lti_publisher_csrf";

    private static final Logger LOG = Logger.getLogger(BrowserForms.class);

    private final PublicUrl publicUrl;

    public BrowserForms(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** Refuses (403, the tool's page) a form post that did not come from the tool's own page in this browser. */
    public void verify(HttpHeaders headers, UriInfo uriInfo, String formToken) {
        String expected = origin(publicUrl.base(uriInfo));
        String origin = headers.getHeaderString("Origin");
        String sender = origin != null ? normalised(origin.trim()) : refererOrigin(headers.getHeaderString("Referer"));
        if (sender != null && !sender.equalsIgnoreCase(expected)) {
            throw Rejection.forbidden("cross_site_form", "this form was sent from " + describe(sender)
                    + ", not from LTI Publisher's own page (" + expected + "), so it was refused and nothing changed. "
                    + "Open the activity again from your course.");
        }
        Cookie cookie = headers.getCookies().get(COOKIE);
        if (cookie == null || formToken == null || !wellFormed(formToken)
                || !MessageDigest.isEqual(cookie.getValue().getBytes(StandardCharsets.US_ASCII),
                        formToken.getBytes(StandardCharsets.US_ASCII))) {
            LOG.debugf("csrf token %s", cookie == null ? "cookie missing" : formToken == null ? "field missing" : "differs");
            throw Rejection.forbidden("csrf_token_invalid", "this form is out of date or was not sent from "
                    + "LTI Publisher's own page in this browser, so it was refused and nothing changed. Reload the "
                    + "page, or open the activity again from your course; if your browser blocks cookies in the "
                    + "course page, open the activity in a new window.");
        }
    }

    /**
     * The client's address as Vert.x reports it: the peer, or the forwarded client when
     * {@code quarkus.http.proxy.*} trusts the proxy in front (never an unchecked header).
     */
    public static String clientAddress(io.vertx.core.http.HttpServerRequest request) {
        io.vertx.core.net.SocketAddress address = request == null ? null : request.remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    static boolean wellFormed(String token) {
        return token != null && token.length() == 43 && token.chars()
                .allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }

    /** scheme://host[:port] of a URL, lower-case, default ports left out (RFC 6454 §6.2); null when not a URL. */
    static String origin(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443)
                    || ("http".equals(scheme) && port == 80);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String normalised(String origin) {
        String parsed = "null".equals(origin) ? null : origin(origin);
        return parsed == null ? origin : parsed;
    }

    private static String refererOrigin(String referer) {
        if (referer == null || referer.isBlank()) {
            return null;
        }
        String origin = origin(referer.trim());
        return origin == null ? "an unreadable page" : origin;
    }

    private static String describe(String sender) {
        String shown = sender.length() > 100 ? sender.substring(0, 100) + "…" : sender;
        return "null".equals(shown) ? "a page that hides its origin" : shown;
    }
}
