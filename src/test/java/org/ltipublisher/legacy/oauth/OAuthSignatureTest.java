package org.ltipublisher.legacy.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The tool's OAuth 1.0a plumbing against RFC 5849's own examples (fixed vectors, no server needed). */
class OAuthSignatureTest {

    /** RFC 5849 §1.2: the photos.example.net request, signed with client and token secrets. */
    @Test
    void rfc5849PhotosExampleGivesTheRfcSignature() {
        List<OAuthParameter> params = new ArrayList<>(OAuthPercentEncoding.formParameters("file=vacation.jpg&size=original"));
        params.addAll(OAuthAuthorizationHeader.parse("OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", "
                + "oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", "
                + "oauth_nonce=\"chapoH\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\""));

        String base = OAuthSignature.baseString("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original",
                params);

        assertEquals("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3D"
                + "dpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D"
                + "137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal", base);
        assertEquals("MdpQcU8iPSUjWoN/UDMsK2sui9I=", OAuthSignature.hmacSha1(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"));
    }

    /**
     * RFC 5849 §3.4.1.1: query with encoded and empty values, a repeated name (a3) across query and body,
     * realm left out, header values percent-decoded: the RFC's base string exactly.
     */
    @Test
    void rfc5849BaseStringExampleWithDuplicatesAndEncodedQuery() {
        List<OAuthParameter> params = new ArrayList<>(OAuthPercentEncoding.formParameters("b5=%3D%253D&a3=a&c%40=&a2=r%20b"));
        params.addAll(OAuthPercentEncoding.formParameters("c2&a3=2+q"));
        params.addAll(OAuthAuthorizationHeader.parse("OAuth realm=\"Example\", oauth_consumer_key=\"9djdj82h48djs9d2\", "
                + "oauth_token=\"kkk9d7dh3k39sjv7\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131201\", "
                + "oauth_nonce=\"7d8f3e4a\", oauth_signature=\"bYT5CMsGcbgUdFHObYMEfcx6bsw%3D\""));

        String base = OAuthSignature.baseString("post", "HTTP://Example.com:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
                params);

        assertEquals("POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D"
                + "%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26"
                + "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7", base);
    }

    @Test
    void baseStringUriKeepsNonDefaultPortsAndDropsDefaultOnes() {
        assertEquals("https://www.example.net:8080/", OAuthSignature.baseStringUri("https://www.example.net:8080"));
        assertEquals("https://lti.example.edu/lti/v1p1/resources/x",
                OAuthSignature.baseStringUri("HTTPS://LTI.Example.edu:443/lti/v1p1/resources/x?a=b#frag"));
    }

    @Test
    void percentEncodingFollowsRfc3986() {
        assertEquals("Ladies%20%2B%20Gentlemen", OAuthPercentEncoding.encode("Ladies + Gentlemen"));
        assertEquals("An%20encoded%20string%21", OAuthPercentEncoding.encode("An encoded string!"));
        assertEquals("Dogs%2C%20Cats%20%26%20Mice", OAuthPercentEncoding.encode("Dogs, Cats & Mice"));
        assertEquals("%E2%98%83", OAuthPercentEncoding.encode("\u2603"));
        assertEquals("-._~", OAuthPercentEncoding.encode("-._~"));
        assertEquals("a+b c", OAuthPercentEncoding.decode("a+b%20c"));
    }

    @Test
    void matchesComparesTheDecodedSignature() {
        String base = "POST&http%3A%2F%2Fexample.com%2F&a%3Db";
        String signature = OAuthSignature.hmacSha1(base, "secret", "");
        assertTrue(OAuthSignature.matches(signature, base, "secret"));
        assertFalse(OAuthSignature.matches(signature, base, "other secret"));
        assertFalse(OAuthSignature.matches("not base64!", base, "secret"));
        assertFalse(OAuthSignature.matches("", base, "secret"));
    }
}
