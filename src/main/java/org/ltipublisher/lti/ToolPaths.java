package org.ltipublisher.lti;

/**
 * The tool's own endpoint paths, the single source for the {@code @Path} values and for the URLs the tool
 * publishes (dynamic registration's tool configuration, LTI DR 1.0 §3.5; the JWKS URL; launch URLs).
 */
public final class ToolPaths {

    /** OIDC third-party initiated login (Security Framework §5.1.1.1). */
    public static final String LOGIN = "/lti/login";
    /** The redirect_uri the id_token is posted to (Security Framework §5.1.1.3). */
    public static final String LAUNCH = "/lti/launch";
    /** The redirect_uri registered for deep linking requests (Deep Linking 2.0 §4.4). */
    public static final String DEEP_LINKING = "/lti/deep-linking";
    /** The tool's public keys (Security Framework §6.3). */
    public static final String JWKS = "/.well-known/jwks.json";
    /** Dynamic registration's initiation URL (LTI DR 1.0 §3.3). */
    public static final String REGISTER = "/lti/register";
    /** A published resource's LTI 1.3 launch URL (target_link_uri): {@code /lti/resources/{id}}. */
    public static final String RESOURCE_LAUNCH_PREFIX = "/lti/resources/";
    /** A published resource's LTI 1.1 launch URL: {@code /lti/v1p1/resources/{id}}. */
    public static final String LTI11_RESOURCE_LAUNCH_PREFIX = "/lti/v1p1/resources/";
    /** Where the tool's account choice page posts. */
    public static final String ACCOUNT_CHOICE = "/lti/account";

    private ToolPaths() {
    }
}
