package org.ltipublisher.testing;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A browser inside an LMS iframe: starts the OIDC login at the tool, follows the redirect to the
 * simulated platform, and form-posts the id_token back, carrying the tool's cookies as a browser would.
 */
public final class LtiBrowser {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    public static final String CSRF_FIELD = "csrf-token";
    public static final String CSRF_COOKIE = "lti_publisher_csrf";

    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private String accept;
    private final String baseUrl;

    /** A browser talking to the service under test at RestAssured's configured address. */
    public LtiBrowser() {
        this(null);
    }

    /** A browser talking to one particular replica, e.g. {@code http://localhost:8081}. */
    public LtiBrowser(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Ask for JSON error bodies (the reason code) instead of HTML pages. */
    public LtiBrowser json() {
        this.accept = "application/json";
        return this;
    }

    /** Like a script in the content page: JSON preferred, HTML accepted (for endpoints that only make pages). */
    public LtiBrowser acceptJsonOrHtml() {
        this.accept = "application/json, text/html;q=0.5";
        return this;
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    /** The platform's auto-submitted form: where it posts and what. */
    public record PlatformForm(String action, Map<String, String> fields) {
        public PlatformForm with(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(fields);
            if (value == null) {
                copy.remove(name);
            } else {
                copy.put(name, value);
            }
            return new PlatformForm(action, copy);
        }
    }

    public Response login(Map<String, String> params) {
        Response response = request().redirects().follow(false).queryParams(params).get("/lti/login");
        keepCookies(response);
        return response;
    }

    /** Full login at the tool and authentication at the platform, stopping before the form post. */
    public PlatformForm loginAndAuthenticate(PlatformSimulator platform, AdminApi.Registered registration,
            String targetLinkUri, LaunchSpec spec) {
        String loginHint = "hint-" + UUID.randomUUID();
        platform.prepare(loginHint, spec);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("iss", registration.issuer());
        params.put("login_hint", loginHint);
        params.put("target_link_uri", targetLinkUri);
        params.put("lti_message_hint", "{\"cmid\":2,\"launchid\":\"x\"}");
        params.put("client_id", registration.clientId());
        Response login = login(params);
        if (login.statusCode() != 302) {
            throw new AssertionError("login answered " + login.statusCode() + ": " + login.asString());
        }
        return authenticate(login.header("Location"));
    }

    public PlatformForm authenticate(String location) {
        try {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(location)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200) {
                throw new AssertionError("platform answered " + page.statusCode() + ": " + page.body());
            }
            Matcher action = FORM_ACTION.matcher(page.body());
            if (!action.find()) {
                throw new AssertionError("no form in " + page.body());
            }
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher hidden = HIDDEN.matcher(page.body());
            while (hidden.find()) {
                fields.put(hidden.group(1), hidden.group(2));
            }
            return new PlatformForm(action.group(1), fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response post(PlatformForm form) {
        return post(form.action(), form.fields());
    }

    public Response post(String url, Map<String, String> form) {
        RequestSpecification request = isToolForm(url) && !form.containsKey(CSRF_FIELD) ? formRequest()
                : request().redirects().follow(false).contentType("application/x-www-form-urlencoded");
        form.forEach(request::formParam);
        Response response = request.post(url);
        keepCookies(response);
        return response;
    }

    public Response get(String url) {
        Response response = request().redirects().follow(false).get(url);
        keepCookies(response);
        return response;
    }

    /** login → platform → launch, as one click in the LMS. */
    public Response launch(PlatformSimulator platform, AdminApi.Registered registration, String targetLinkUri,
            LaunchSpec spec) {
        return post(loginAndAuthenticate(platform, registration, targetLinkUri, spec));
    }

    /**
     * A post as the tool's own page sends its form from this browser: the CSRF cookie (fetched with the
     * sign-in page when the browser has none yet), the same token in the form, the tool's Origin.
     */
    public RequestSpecification formRequest() {
        String token = csrfToken();
        return request().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", toolOrigin()).formParam(CSRF_FIELD, token);
    }

    /** This browser's CSRF token (the value of its CSRF cookie, as the tool's forms carry it). */
    public String csrfToken() {
        if (!cookies.containsKey(CSRF_COOKIE)) {
            Response page = get("/accounts/signin");
            if (page.statusCode() != 200 || !cookies.containsKey(CSRF_COOKIE)) {
                throw new AssertionError("the sign-in page set no CSRF cookie: " + page.statusCode());
            }
        }
        return cookies.get(CSRF_COOKIE);
    }

    /** The tool's origin as a browser sends it in Origin. */
    public String toolOrigin() {
        if (baseUrl != null) {
            URI uri = URI.create(baseUrl);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        }
        return io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
    }

    private static boolean isToolForm(String url) {
        String path = url.replaceFirst("^https?://[^/]+", "");
        return path.equals("/lti/account") || path.startsWith("/accounts/") || path.equals("/lti/deep-linking/response")
                || path.matches("/activity/[^/]+/score");
    }

    private RequestSpecification request() {
        RequestSpecification request = given();
        if (baseUrl != null) {
            request.baseUri(baseUrl).port(-1);
        }
        if (accept != null) {
            request.accept(accept);
        }
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return request;
    }

    private void keepCookies(Response response) {
        for (String header : response.getHeaders().getValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }
}
