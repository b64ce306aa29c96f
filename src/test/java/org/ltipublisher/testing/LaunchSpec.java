package org.ltipublisher.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the simulated platform puts into the next id_token for one login_hint: the claims (mutable,
 * so a test can break any of them) and how the token is signed.
 */
public final class LaunchSpec {

    public enum Signing {
        /** RS256 with the platform's published key (the valid case). */
        PLATFORM_KEY,
        /** RS256 with a key the platform never published, but the published kid in the header. */
        FOREIGN_KEY,
        /** alg "none", no signature. */
        NONE,
        /** HS256 keyed with the platform's public key bytes (the classic algorithm-confusion attack). */
        HS256
    }

    public static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";

    public final Map<String, Object> claims = new LinkedHashMap<>();
    public Signing signing = Signing.PLATFORM_KEY;
    /** Header kid; null means the signing key's own kid. */
    public String kid;
    public boolean omitKid;
    /** Put the nonce of the authentication request into the token (false: keep whatever claims has). */
    public boolean useRequestNonce = true;
    /** Last change to the claims before signing, after the request's nonce is in (for claims that sign the nonce). */
    public Consumer<Map<String, Object>> beforeSigning;
    /** Replace the whole token with this string. */
    public String rawToken;

    public LaunchSpec claim(String name, Object value) {
        claims.put(name, value);
        return this;
    }

    public LaunchSpec without(String name) {
        claims.remove(name);
        return this;
    }

    public LaunchSpec lti(String name, Object value) {
        return claim(LTI + name, value);
    }

    public LaunchSpec withoutLti(String name) {
        return without(LTI + name);
    }

    public LaunchSpec roles(String... roles) {
        return lti("roles", List.of(roles));
    }

    public LaunchSpec with(Consumer<LaunchSpec> change) {
        change.accept(this);
        return this;
    }

    /** A complete, valid LtiResourceLinkRequest for one user (Core §5.3). */
    public static LaunchSpec resourceLink(String issuer, String clientId, String deploymentId, String targetLinkUri,
            String sub) {
        long now = System.currentTimeMillis() / 1000;
        LaunchSpec spec = new LaunchSpec();
        spec.claim("iss", issuer).claim("aud", clientId).claim("sub", sub)
                .claim("iat", now).claim("exp", now + 300)
                .claim("name", "Ada Lovelace").claim("given_name", "Ada").claim("family_name", "Lovelace")
                .claim("email", sub + "@example.edu")
                .lti("message_type", "LtiResourceLinkRequest")
                .lti("version", "1.3.0")
                .lti("deployment_id", deploymentId)
                .lti("target_link_uri", targetLinkUri)
                .lti("resource_link", Map.of("id", "rl-1", "title", "Week 1"))
                .roles("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner")
                .lti("context", Map.of("id", "course-1", "label", "ALG101", "title", "Algebra 101",
                        "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering")))
                .lti("tool_platform", Map.of("guid", "platform-guid", "product_family_code", "moodle"))
                .claim("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", Map.of(
                        "scope", List.of("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                                "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                        "lineitems", issuer + "/ags/course-1/lineitems",
                        "lineitem", issuer + "/ags/course-1/lineitems/1"))
                .claim("https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice", Map.of(
                        "context_memberships_url", issuer + "/nrps/course-1/memberships",
                        "service_versions", List.of("2.0")));
        return spec;
    }
}
