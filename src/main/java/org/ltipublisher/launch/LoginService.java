package org.ltipublisher.launch;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.registration.Registration;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.web.Rejection;

/** OIDC third-party login initiation (Security Framework §5.1.1): the first step of every LTI 1.3 launch. */
@ApplicationScoped
public class LoginService {

    private final RegistrationService registrations;
    private final LoginStateCodec states;
    private final LaunchMetrics metrics;

    public LoginService(RegistrationService registrations, LoginStateCodec states, LaunchMetrics metrics) {
        this.registrations = registrations;
        this.states = states;
        this.metrics = metrics;
    }

    /**
     * Where to send the browser (the platform's authentication request) and the cookie that binds the state;
     * {@code storage} is set when the platform offered postMessage storage: the login then answers with a
     * page that stores the secret there before going on (1EdTech LTI Client Side postMessages, lti.put_data / lti.get_data).
     */
    public record LoginRedirect(URI location, String bindingCookie, StoragePage storage) {
    }

    /** What the storing page needs: target frame, origin to address, key and secret value. */
    public record StoragePage(String target, String origin, String key, String value, String location) {
    }

    public LoginRedirect initiate(LoginRequest request, String baseUrl) {
        try {
            return authenticationRequest(request, baseUrl);
        } catch (Rejection rejection) {
            metrics.loginRejected(rejection.code());
            throw rejection;
        }
    }

    private LoginRedirect authenticationRequest(LoginRequest request, String baseUrl) {
        String iss = required("iss", request.iss());
        String loginHint = required("login_hint", request.loginHint());
        String target = required("target_link_uri", request.targetLinkUri());
        if (!isOurs(target, baseUrl)) {
            throw Rejection.badRequest("foreign_target", "target_link_uri '" + target
                    + "' is not a URL of this tool (" + baseUrl + "): check the tool URL configured in the platform");
        }
        Registration registration = registrations.findForLogin(iss, request.clientId());
        String storageTarget = blankToNull(request.ltiStorageTarget());
        String storageSecret = storageTarget == null ? null : states.newStorageSecret();
        String authOrigin = origin(registration.authenticationRequestUrl);
        LoginState state = states.newState(registration.id, target, blankToNull(request.ltiDeploymentId()), request,
                storageTarget, authOrigin, storageSecret);

        // Security Framework §5.1.1.2: the authentication request
        Map<String, String> params = new LinkedHashMap<>();
        params.put("scope", "openid");
        params.put("response_type", "id_token");
        params.put("response_mode", "form_post");
        params.put("prompt", "none");
        params.put("client_id", registration.clientId);
        params.put("redirect_uri", baseUrl + RegistrationService.LAUNCH_PATH);
        params.put("login_hint", loginHint);
        if (request.ltiMessageHint() != null) {
            params.put("lti_message_hint", request.ltiMessageHint());
        }
        params.put("state", states.sign(state));
        params.put("nonce", state.nonce());
        String query = params.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String authUrl = registration.authenticationRequestUrl;
        URI location = URI.create(authUrl + (authUrl.contains("?") ? "&" : "?") + query);
        metrics.loginStarted();
        return new LoginRedirect(location, states.bindingCookie(state), storageTarget == null ? null
                : new StoragePage(storageTarget, authOrigin, state.storageKey(), storageSecret, location.toString()));
    }

    /** Messages to the platform's storage frame go to the origin of its authentication endpoint (1EdTech LTI Client Side postMessages, lti.put_data / lti.get_data). */
    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** Same origin as the tool and under its base path (Core §4.1: target_link_uri is ours to check). */
    static boolean isOurs(String target, String baseUrl) {
        try {
            URI uri = URI.create(target);
            URI base = URI.create(baseUrl + "/");
            return uri.isAbsolute() && uri.getScheme().equalsIgnoreCase(base.getScheme())
                    && uri.getHost() != null && uri.getHost().equalsIgnoreCase(base.getHost())
                    && effectivePort(uri) == effectivePort(base)
                    && (uri.getRawPath() + "/").startsWith(base.getRawPath());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw Rejection.badRequest("missing_" + name,
                    "the login request from the platform lacks the required parameter " + name);
        }
        return value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
