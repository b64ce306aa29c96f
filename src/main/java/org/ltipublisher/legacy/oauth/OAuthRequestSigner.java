package org.ltipublisher.legacy.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Signs the tool's own OAuth 1.0a requests to a consumer (Basic Outcomes): HMAC-SHA1 over the URL's
 * query parameters and the protocol parameters, with the body covered by {@code oauth_body_hash}
 * (OAuth Request Body Hash extension: base64 of SHA-1 of the raw body), sent in the Authorization header.
 */
@ApplicationScoped
public class OAuthRequestSigner {

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OAuthRequestSigner(Clock clock) {
        this.clock = clock;
    }

    /** The value of the Authorization header for a POST of {@code body} to {@code url}. */
    public String authorization(String url, String consumerKey, String secret, byte[] body) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        List<OAuthParameter> oauth = new ArrayList<>(List.of(
                new OAuthParameter("oauth_body_hash", bodyHash(body)),
                new OAuthParameter("oauth_consumer_key", consumerKey),
                new OAuthParameter("oauth_nonce", HexFormat.of().formatHex(nonce)),
                new OAuthParameter("oauth_signature_method", OAuthSignature.HMAC_SHA1),
                new OAuthParameter("oauth_timestamp", String.valueOf(clock.millis() / 1000)),
                new OAuthParameter("oauth_version", "1.0")));
        List<OAuthParameter> signed = new ArrayList<>(OAuthPercentEncoding.formParameters(URI.create(url).getRawQuery()));
        signed.addAll(oauth);
        String signature = OAuthSignature.hmacSha1(OAuthSignature.baseString("POST", url, signed), secret, "");
        oauth.add(new OAuthParameter("oauth_signature", signature));
        return OAuthAuthorizationHeader.format(oauth);
    }

    public static String bodyHash(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
