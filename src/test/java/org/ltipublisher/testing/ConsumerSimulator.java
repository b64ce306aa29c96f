package org.ltipublisher.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.github.scribejava.core.builder.ServiceBuilder;
import com.github.scribejava.core.builder.api.DefaultApi10a;
import com.github.scribejava.core.extractors.BaseStringExtractorImpl;
import com.github.scribejava.core.model.OAuth1AccessToken;
import com.github.scribejava.core.model.OAuthRequest;
import com.github.scribejava.core.model.Verb;
import com.github.scribejava.core.oauth.OAuth10aService;
import com.github.scribejava.core.services.HMACSha1SignatureService;
import com.github.scribejava.core.services.TimestampService;
import com.github.scribejava.core.utils.OAuthEncoder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A simulated LTI 1.1 consumer (an LMS on consumer key + secret): signs launches with an independent
 * OAuth 1.0a implementation (scribejava, never the tool's code), posts them like a browser, and runs
 * a Basic Outcomes service over real HTTP on loopback that checks the tool's signature and
 * oauth_body_hash before answering with the POX status it is told to.
 */
public final class ConsumerSimulator implements AutoCloseable {

    public static final String NS = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0";

    private final String key;
    private volatile String secret;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<ReceivedOutcome> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    /** Seconds added to the launch's oauth_timestamp (negative: a stale launch). */
    public volatile long clockOffsetSeconds;

    /** What the outcomes service answers next: an HTTP status, and the POX codeMajor and description. */
    public record Answer(int status, String codeMajor, String description, String score) {
        public static Answer success() {
            return new Answer(200, "success", "ok", null);
        }

        public static Answer success(String score) {
            return new Answer(200, "success", "ok", score);
        }

        public static Answer failure(String description) {
            return new Answer(200, "failure", description, null);
        }

        public static Answer serverError() {
            return new Answer(500, null, null, null);
        }
    }

    /** An outcomes request as the consumer received it, with the result of its own signature check. */
    public record ReceivedOutcome(String body, Map<String, String> oauth, boolean signatureValid, boolean bodyHashValid) {
    }

    /** The consumer as the admin API created it (id and launch URL template), when made by {@link #create}. */
    public java.util.UUID id;
    public String launchUrlTemplate;

    /** Creates a consumer through the admin API and simulates the LMS that was given its key and secret. */
    public static ConsumerSimulator create(String authMode, boolean requireUserAccount) {
        io.restassured.response.Response created = AdminApi.admin()
                .body(Map.of("name", "LMS " + java.util.UUID.randomUUID(), "authMode", authMode,
                        "requireUserAccount", requireUserAccount))
                .post("/api/v1/consumers").then().statusCode(201).extract().response();
        ConsumerSimulator consumer = new ConsumerSimulator(created.path("consumerKey"), created.path("consumerSecret"));
        consumer.id = java.util.UUID.fromString(created.path("id"));
        consumer.launchUrlTemplate = created.path("launchUrlTemplate");
        return consumer;
    }

    public String launchUrl(java.util.UUID resourceId) {
        return launchUrlTemplate.replace("{resourceId}", resourceId.toString());
    }

    public ConsumerSimulator(String key, String secret) {
        this.key = key;
        this.secret = secret;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/outcomes", this::outcomes);
        server.start();
    }

    public String key() {
        return key;
    }

    public String secret() {
        return secret;
    }

    /** Sign with another secret from now on (a misconfigured LMS). */
    public void useSecret(String secret) {
        this.secret = secret;
    }

    public String outcomesUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/outcomes";
    }

    public List<ReceivedOutcome> received() {
        return received;
    }

    public void answer(Answer... next) {
        answers.addAll(List.of(next));
    }

    /** A typical basic launch of one user, as Canvas or Open edX send it. */
    public static List<String[]> basicLaunch(String userId, String resourceLinkId) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] { "lti_message_type", "basic-lti-launch-request" });
        fields.add(new String[] { "lti_version", "LTI-1p0" });
        fields.add(new String[] { "resource_link_id", resourceLinkId });
        fields.add(new String[] { "resource_link_title", "Week 1 problem" });
        fields.add(new String[] { "user_id", userId });
        fields.add(new String[] { "roles", "Learner" });
        fields.add(new String[] { "lis_person_name_given", "Grace" });
        fields.add(new String[] { "lis_person_name_family", "Hopper" });
        fields.add(new String[] { "lis_person_name_full", "Grace Hopper" });
        fields.add(new String[] { "lis_person_contact_email_primary", userId + "@school.example" });
        fields.add(new String[] { "context_id", "course-11" });
        fields.add(new String[] { "context_label", "CS101" });
        fields.add(new String[] { "context_title", "Computing 101" });
        fields.add(new String[] { "tool_consumer_instance_guid", "lms.school.example" });
        fields.add(new String[] { "oauth_callback", "about:blank" });
        return fields;
    }

    public static List<String[]> with(List<String[]> fields, String name, String value) {
        List<String[]> copy = new ArrayList<>(fields.stream().filter(f -> !f[0].equals(name)).toList());
        if (value != null) {
            copy.add(new String[] { name, value });
        }
        return copy;
    }

    /** The form fields plus the oauth_* parameters scribejava signs them with (RFC 5849 §3.5.2, in the body). */
    public List<String[]> sign(String url, List<String[]> fields) {
        return sign(url, fields, null);
    }

    /** As {@link #sign(String, List)}, with a fixed nonce (null: a random one). */
    public List<String[]> sign(String url, List<String[]> fields, String nonce) {
        OAuthRequest request = signedRequest(url, fields, nonce);
        List<String[]> signed = new ArrayList<>(fields);
        request.getOauthParameters().forEach((name, value) -> signed.add(new String[] { name, value }));
        return signed;
    }

    /** Signs for sending the oauth_* parameters in an Authorization: OAuth header (§3.5.1) instead. */
    public String authorizationHeader(String url, List<String[]> fields) {
        OAuthRequest request = signedRequest(url, fields, null);
        return request.getOauthParameters().entrySet().stream()
                .map(e -> OAuthEncoder.encode(e.getKey()) + "=\"" + OAuthEncoder.encode(e.getValue()) + "\"")
                .collect(Collectors.joining(", ", "OAuth realm=\"\", ", ""));
    }

    private OAuthRequest signedRequest(String url, List<String[]> fields, String nonce) {
        long offset = clockOffsetSeconds;
        DefaultApi10a api = new DefaultApi10a() {
            @Override
            public String getRequestTokenEndpoint() {
                return "http://unused.example/request";
            }

            @Override
            public String getAccessTokenEndpoint() {
                return "http://unused.example/access";
            }

            @Override
            protected String getAuthorizationBaseUrl() {
                return "http://unused.example/authorize";
            }

            @Override
            public TimestampService getTimestampService() {
                return new TimestampService() {
                    @Override
                    public String getTimestampInSeconds() {
                        return String.valueOf(System.currentTimeMillis() / 1000 + offset);
                    }

                    @Override
                    public String getNonce() {
                        return nonce != null ? nonce : java.util.UUID.randomUUID().toString().replace("-", "");
                    }
                };
            }
        };
        try (OAuth10aService service = new ServiceBuilder(key).apiSecret(secret).build(api)) {
            OAuthRequest request = new OAuthRequest(Verb.POST, url);
            fields.forEach(f -> request.addBodyParameter(f[0], f[1]));
            service.signRequest(new OAuth1AccessToken("", ""), request);
            return request;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts a form to the tool as the learner's browser does (no redirects followed). */
    public HttpResponse<String> post(String url, List<String[]> fields, Map<String, String> headers) {
        String body = fields.stream().map(f -> enc(f[0]) + "=" + enc(f[1])).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> post(String url, List<String[]> fields) {
        return post(url, fields, Map.of());
    }

    private void outcomes(HttpExchange exchange) throws IOException {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        Map<String, String> oauth = parseHeader(exchange.getRequestHeaders().getFirst("Authorization"));
        String url = outcomesUrl() + (exchange.getRequestURI().getRawQuery() == null ? ""
                : "?" + exchange.getRequestURI().getRawQuery());
        OAuthRequest check = new OAuthRequest(Verb.POST, url);
        oauth.forEach((name, value) -> {
            if (!name.equals("oauth_signature")) {
                check.addOAuthParameter(name, value);
            }
        });
        String expected = new HMACSha1SignatureService().getSignature(new BaseStringExtractorImpl().extract(check),
                secret, "");
        boolean signatureValid = expected.equals(oauth.get("oauth_signature")) && key.equals(oauth.get("oauth_consumer_key"));
        boolean bodyHashValid = sha1Base64(raw).equals(oauth.get("oauth_body_hash"));
        received.add(new ReceivedOutcome(body, oauth, signatureValid, bodyHashValid));
        Answer answer = answers.poll();
        if (answer == null) {
            answer = Answer.success();
        }
        if (!signatureValid || !bodyHashValid) {
            answer = Answer.failure("OAuth signature or body hash check failed");
        }
        if (answer.status() != 200) {
            PlatformSimulator.send(exchange, answer.status(), "internal error");
            return;
        }
        String operation = body.contains("readResultRequest") ? "readResult"
                : body.contains("deleteResultRequest") ? "deleteResult" : "replaceResult";
        String responseBody = operation.equals("readResult") && answer.score() != null
                ? "<readResultResponse><result><resultScore><language>en</language><textString>" + answer.score()
                        + "</textString></resultScore></result></readResultResponse>"
                : "<" + operation + "Response/>";
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<imsx_POXEnvelopeResponse xmlns=\"" + NS + "\"><imsx_POXHeader><imsx_POXResponseHeaderInfo>"
                + "<imsx_version>V1.0</imsx_version><imsx_messageIdentifier>4560</imsx_messageIdentifier>"
                + "<imsx_statusInfo><imsx_codeMajor>" + answer.codeMajor() + "</imsx_codeMajor>"
                + "<imsx_severity>status</imsx_severity><imsx_description>" + answer.description()
                + "</imsx_description><imsx_messageRefIdentifier>999</imsx_messageRefIdentifier>"
                + "<imsx_operationRefIdentifier>" + operation + "</imsx_operationRefIdentifier></imsx_statusInfo>"
                + "</imsx_POXResponseHeaderInfo></imsx_POXHeader><imsx_POXBody>" + responseBody
                + "</imsx_POXBody></imsx_POXEnvelopeResponse>";
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        PlatformSimulator.send(exchange, 200, xml);
    }

    private static Map<String, String> parseHeader(String header) {
        Map<String, String> params = new LinkedHashMap<>();
        if (header == null || !header.startsWith("OAuth ")) {
            return params;
        }
        for (String part : header.substring(6).split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2) {
                String value = kv[1].replaceAll("^\"|\"$", "");
                params.put(dec(kv[0]), dec(value));
            }
        }
        params.remove("realm");
        return params;
    }

    static String sha1Base64(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String dec(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
