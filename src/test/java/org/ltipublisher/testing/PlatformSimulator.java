package org.ltipublisher.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.base64url.Base64Url;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A simulated LTI platform over real HTTP on loopback: its own RSA keys, a JWKS endpoint, and an OIDC
 * authentication endpoint that answers the tool's authentication request with an auto-submitting form
 * carrying a signed id_token, as Moodle or Canvas do.
 */
public final class PlatformSimulator implements AutoCloseable {

    private final HttpServer server;
    private final String issuer;
    private final List<RsaJsonWebKey> published = new CopyOnWriteArrayList<>();
    private volatile RsaJsonWebKey signingKey;
    private final RsaJsonWebKey foreignKey;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile String jwksCacheControl = "max-age=3600";
    private volatile boolean jwksEtag;
    private final AtomicInteger jwksFullAnswers = new AtomicInteger();
    private final AtomicInteger jwksNotModified = new AtomicInteger();
    private final AtomicInteger jwksUnconditional = new AtomicInteger();
    private final Map<String, LaunchSpec> specs = new ConcurrentHashMap<>();
    private final List<Map<String, String>> authRequests = new CopyOnWriteArrayList<>();

    public PlatformSimulator() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            signingKey = newKey();
            published.add(signingKey);
            foreignKey = newKey();
        } catch (IOException | JoseException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/jwks", this::jwks);
        server.createContext("/auth", this::authenticate);
        server.start();
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String issuer() {
        return issuer;
    }

    /** Serves another endpoint of this platform (same origin as the issuer), e.g. dynamic registration. */
    public void route(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    public String jwksUrl() {
        return issuer + "/jwks";
    }

    public String authUrl() {
        return issuer + "/auth";
    }

    public String tokenUrl() {
        return issuer + "/token";
    }

    /** Serves more of the platform on the same origin (the service endpoints of {@link PlatformServices}). */
    public void handle(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public String signingKid() {
        return signingKey.getKeyId();
    }

    public void jwksCacheControl(String value) {
        jwksCacheControl = value;
    }

    /** Serve the JWKS with an ETag (changing with the published keys) and answer If-None-Match with 304. */
    public void jwksEtag(boolean on) {
        jwksEtag = on;
    }

    /** JWKS requests answered with the key set (200). */
    public int jwksFullAnswers() {
        return jwksFullAnswers.get();
    }

    /** JWKS requests answered 304 Not Modified. */
    public int jwksNotModified() {
        return jwksNotModified.get();
    }

    /** JWKS requests that carried no If-None-Match. */
    public int jwksUnconditional() {
        return jwksUnconditional.get();
    }

    /** Platform-side key rotation: a new key signs from now on and is published beside the old one. */
    public void rotateKey() {
        try {
            signingKey = newKey();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        published.add(signingKey);
    }

    /** The authentication requests the tool sent here, newest last. */
    public List<Map<String, String>> authRequests() {
        return new ArrayList<>(authRequests);
    }

    /** The id_token the next authentication request for this login_hint answers with. */
    public void prepare(String loginHint, LaunchSpec spec) {
        specs.put(loginHint, spec);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksFetches.incrementAndGet();
        String body = new JsonWebKeySet(new ArrayList<JsonWebKey>(published)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (ifNoneMatch == null) {
            jwksUnconditional.incrementAndGet();
        }
        exchange.getResponseHeaders().add("Cache-Control", jwksCacheControl);
        if (jwksEtag) {
            String etag = "\"" + Integer.toHexString(body.hashCode()) + "\"";
            exchange.getResponseHeaders().add("ETag", etag);
            if (etag.equals(ifNoneMatch)) {
                jwksNotModified.incrementAndGet();
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
                return;
            }
        }
        jwksFullAnswers.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, 200, body);
    }

    private void authenticate(HttpExchange exchange) throws IOException {
        Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
        authRequests.add(params);
        LaunchSpec spec = specs.get(params.getOrDefault("login_hint", ""));
        if (spec == null) {
            send(exchange, 400, "no launch prepared for login_hint " + params.get("login_hint"));
            return;
        }
        String idToken;
        try {
            idToken = idToken(spec, params.get("nonce"));
        } catch (JoseException e) {
            send(exchange, 500, e.toString());
            return;
        }
        String html = "<!DOCTYPE html><html><body onload=\"document.forms[0].submit()\">"
                + "<form method=\"post\" action=\"" + params.get("redirect_uri") + "\">"
                + "<input type=\"hidden\" name=\"id_token\" value=\"" + idToken + "\">"
                + "<input type=\"hidden\" name=\"state\" value=\"" + params.get("state") + "\">"
                + "</form></body></html>";
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=UTF-8");
        send(exchange, 200, html);
    }

    /** Builds and signs the id_token for a spec (public so tests can make tokens outside a login). */
    public String idToken(LaunchSpec spec, String nonce) throws JoseException {
        if (spec.rawToken != null) {
            return spec.rawToken;
        }
        Map<String, Object> claims = new LinkedHashMap<>(spec.claims);
        if (spec.useRequestNonce && nonce != null) {
            claims.put("nonce", nonce);
        }
        if (spec.beforeSigning != null) {
            spec.beforeSigning.accept(claims);
        }
        String payload = JsonUtil.toJson(claims);
        if (spec.signing == LaunchSpec.Signing.NONE) {
            String header = "{\"alg\":\"none\",\"kid\":\"" + signingKey.getKeyId() + "\"}";
            return Base64Url.encodeUtf8ByteRepresentation(header) + "." + Base64Url.encodeUtf8ByteRepresentation(payload)
                    + ".";
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        switch (spec.signing) {
            case HS256 -> {
                jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
                jws.setKey(new HmacKey(signingKey.getPublicKey().getEncoded()));
            }
            case FOREIGN_KEY -> {
                jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
                jws.setKey(foreignKey.getPrivateKey());
            }
            default -> {
                jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
                jws.setKey(signingKey.getPrivateKey());
            }
        }
        if (!spec.omitKid) {
            jws.setKeyIdHeaderValue(spec.kid != null ? spec.kid : signingKey.getKeyId());
        }
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    private static RsaJsonWebKey newKey() throws JoseException {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("platform-" + java.util.UUID.randomUUID());
        key.setUse("sig");
        key.setAlgorithm("RS256");
        return key;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
