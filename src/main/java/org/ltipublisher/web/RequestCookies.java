package org.ltipublisher.web;

import java.util.Map;
import java.util.function.Function;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

/** A request's cookies as a lookup by name (null when absent), the form the launch services take. */
public final class RequestCookies {

    private RequestCookies() {
    }

    public static Function<String, String> of(HttpHeaders headers) {
        Map<String, Cookie> cookies = headers.getCookies();
        return name -> {
            Cookie cookie = cookies.get(name);
            return cookie == null ? null : cookie.getValue();
        };
    }
}
