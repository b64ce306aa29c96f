package org.ltipublisher.bench;

/**
 * One tool under load, in what the generator needs to launch it: where its OIDC login is (Security
 * Framework §5.1.1.1), the client and deployment the platform registered it as, the link's target, and
 * how its content page is recognized. The launch URL is not here: it is the redirect_uri of the tool's
 * authentication request, as a platform posts there.
 */
record LaunchTarget(String name, String loginUrl, String clientId, String deploymentId, String targetLinkUri,
        String contentMarker) {
}
