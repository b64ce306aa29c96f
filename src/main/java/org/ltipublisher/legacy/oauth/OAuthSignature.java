package org.ltipublisher.legacy.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a HMAC-SHA1 signatures (RFC 5849 §3.4): the signature base string built from the method,
 * the base string URI and the normalized parameters, and the HMAC keyed with the client and token
 * secrets. LTI 1.1 has no token, so the token secret is empty ("secret&").
 */
public final class OAuthSignature {

    public static final String HMAC_SHA1 = "HMAC-SHA1";

    private OAuthSignature() {
    }

    /** §3.4.1: method, base string URI and normalized parameters, each encoded and joined with "&". */
    public static String baseString(String method, String url, List<OAuthParameter> params) {
        return method.toUpperCase(Locale.ROOT) + "&" + OAuthPercentEncoding.encode(baseStringUri(url)) + "&"
                + OAuthPercentEncoding.encode(normalizedParameters(params));
    }

    /** §3.4.1.2: scheme and host lower-case, default port left out, no query and no fragment. */
    public static String baseStringUri(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
    }

    /**
     * §3.4.1.3.2: every parameter but oauth_signature, names and values encoded, sorted by name then
     * value (duplicates kept), joined as name=value with "&".
     */
    public static String normalizedParameters(List<OAuthParameter> params) {
        return params.stream()
                .filter(p -> !p.name().equals("oauth_signature"))
                .map(p -> new OAuthParameter(OAuthPercentEncoding.encode(p.name()), OAuthPercentEncoding.encode(p.value())))
                .sorted(Comparator.comparing(OAuthParameter::name).thenComparing(OAuthParameter::value))
                .map(p -> p.name() + "=" + p.value())
                .collect(Collectors.joining("&"));
    }

    /** §3.4.2: base64 of HMAC-SHA1 keyed with encode(client secret) "&" encode(token secret). */
    public static String hmacSha1(String baseString, String clientSecret, String tokenSecret) {
        return Base64.getEncoder().encodeToString(mac(baseString, clientSecret, tokenSecret));
    }

    /** Whether a received signature is the one the base string and secret give, compared in constant time. */
    public static boolean matches(String signature, String baseString, String clientSecret) {
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(baseString, clientSecret, ""));
    }

    private static byte[] mac(String baseString, String clientSecret, String tokenSecret) {
        String key = OAuthPercentEncoding.encode(clientSecret) + "&" + OAuthPercentEncoding.encode(tokenSecret);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
