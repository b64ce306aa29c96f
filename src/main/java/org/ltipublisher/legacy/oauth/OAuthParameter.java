package org.ltipublisher.legacy.oauth;

/** One request parameter as RFC 5849 §3.4.1.3 collects them: name and value, decoded. */
public record OAuthParameter(String name, String value) {
}
