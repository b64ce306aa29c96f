package org.ltipublisher.web;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser's CSRF token as templates write it into forms: {@code {inject:csrf.token}}, the same expression
 * Quarkus REST CSRF offers (see {@link BrowserForms} for why its filter is not used). The token is kept in an
 * HttpOnly cookie (double submit): a page of another site can make the browser send the cookie, but cannot
 * read it to put the same value in the form. Created on the first form a browser is shown, then reused.
 */
@Named("csrf")
@RequestScoped
public class CsrfToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RoutingContext routing;
    private String token;

    public CsrfToken(RoutingContext routing) {
        this.routing = routing;
    }

    public String getToken() {
        if (token == null) {
            Cookie existing = routing.request().getCookie(BrowserForms.COOKIE);
            if (existing != null && BrowserForms.wellFormed(existing.getValue())) {
                token = existing.getValue();
            } else {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                // SameSite=None and Partitioned: the forms live in the LMS's iframe (as the state cookie)
                routing.response().headers().add("Set-Cookie", BrowserForms.COOKIE + "=" + token
                        + "; Path=/; Secure; HttpOnly; SameSite=None; Partitioned");
            }
        }
        return token;
    }
}
