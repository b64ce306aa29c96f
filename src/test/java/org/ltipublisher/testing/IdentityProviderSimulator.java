package org.ltipublisher.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A school's OpenID Connect provider over real HTTP on loopback, as the console's sign-in meets Keycloak or Entra ID:
 * discovery (OpenID Connect Discovery 1.0 §4), a JWKS with a real RSA key, an authorization endpoint that consents at
 * once as the user the test chose and redirects back with a code, and a token endpoint that checks the client secret,
 * the redirect URI, one use of the code and its PKCE verifier (RFC 7636 §4.6, S256 only) before it issues an RS256
 * ID token carrying the nonce, preferred_username, email, groups and realm_access.roles.
 */
public final class IdentityProviderSimulator implements AutoCloseable {

    public static final String CLIENT_ID = "lti-publisher-console";
    public static final String CLIENT_SECRET = "console-client-secret-of-more-than-32-characters";

    /** A person the provider knows. */
    public record User(String subject, String username, String email, List<String> groups, List<String> roles) {
    }

    /** What the provider remembers of one authorization until its code is redeemed. */
    private record Grant(User user, String redirectUri, String challenge, String nonce) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final String issuer;
    private final RsaJsonWebKey key;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final AtomicInteger refusedTokenRequests = new AtomicInteger();
    private final AtomicInteger issuedTokens = new AtomicInteger();
    private volatile User signedIn;

    public IdentityProviderSimulator() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("idp-key-1");
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
        } catch (IOException | JoseException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/realms/school/.well-known/openid-configuration", this::discovery);
        server.createContext("/realms/school/jwks", this::jwks);
        server.createContext("/realms/school/authorize", this::authorize);
        server.createContext("/realms/school/token", this::token);
        server.start();
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/school";
    }

    public String issuer() {
        return issuer;
    }

    /** The person the next authorization requests consent as, as if they had signed in at the provider. */
    public void signIn(User user) {
        this.signedIn = user;
    }

    public int refusedTokenRequests() {
        return refusedTokenRequests.get();
    }

    public int issuedTokens() {
        return issuedTokens.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("authorization_endpoint", issuer + "/authorize");
        doc.put("token_endpoint", issuer + "/token");
        doc.put("jwks_uri", issuer + "/jwks");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("scopes_supported", List.of("openid", "profile", "email"));
        json(exchange, 200, doc);
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try {
            json(exchange, 200, JsonUtil.parseJson(new JsonWebKeySet(key).toJson()));
        } catch (JoseException e) {
            text(exchange, 500, e.toString());
        }
    }

    /** Consents at once (OpenID Connect Core 1.0 §3.1.2.5): a redirect to the client with a code and its state. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        User user = signedIn;
        String refusal = !CLIENT_ID.equals(q.get("client_id")) ? "unknown client_id"
                : !"code".equals(q.get("response_type")) ? "response_type must be code"
                : q.get("redirect_uri") == null ? "redirect_uri missing"
                : q.get("state") == null ? "state missing"
                : !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null ? "PKCE S256 required"
                : !(" " + q.getOrDefault("scope", "") + " ").contains(" openid ") ? "scope must include openid"
                : user == null ? "nobody signed in at the provider" : null;
        if (refusal != null) {
            text(exchange, 400, refusal);
            return;
        }
        String code = random();
        codes.put(code, new Grant(user, q.get("redirect_uri"), q.get("code_challenge"), q.get("nonce")));
        String location = q.get("redirect_uri") + (q.get("redirect_uri").contains("?") ? "&" : "?") + "code="
                + enc(code) + "&state=" + enc(q.get("state"));
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** The code for an ID token (§3.1.3), only for this client, this redirect URI, once, with the PKCE verifier. */
    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String[] client = clientCredentials(exchange, f);
        Grant grant = f.get("code") == null ? null : codes.remove(f.get("code"));
        String refusal = !"POST".equals(exchange.getRequestMethod()) ? "invalid_request"
                : !CLIENT_ID.equals(client[0]) || !CLIENT_SECRET.equals(client[1]) ? "invalid_client"
                : !"authorization_code".equals(f.get("grant_type")) ? "unsupported_grant_type"
                : grant == null || !grant.redirectUri().equals(f.get("redirect_uri")) ? "invalid_grant"
                : f.get("code_verifier") == null || !s256(f.get("code_verifier")).equals(grant.challenge())
                        ? "invalid_grant" : null;
        if (refusal != null) {
            refusedTokenRequests.incrementAndGet();
            json(exchange, refusal.equals("invalid_client") ? 401 : 400, Map.of("error", refusal));
            return;
        }
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setAudience(CLIENT_ID);
            claims.setSubject(grant.user().subject());
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(5);
            claims.setClaim("azp", CLIENT_ID);
            if (grant.nonce() != null) {
                claims.setClaim("nonce", grant.nonce());
            }
            claims.setClaim("preferred_username", grant.user().username());
            claims.setClaim("email", grant.user().email());
            claims.setClaim("groups", grant.user().groups());
            claims.setClaim("realm_access", Map.of("roles", grant.user().roles()));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            issuedTokens.incrementAndGet();
            json(exchange, 200, Map.of("access_token", random(), "token_type", "Bearer", "expires_in", 300,
                    "id_token", jws.getCompactSerialization()));
        } catch (JoseException e) {
            text(exchange, 500, e.toString());
        }
    }

    /** client_secret_basic (RFC 6749 §2.3.1) or client_secret_post. */
    private static String[] clientCredentials(HttpExchange exchange, Map<String, String> form) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return new String[] {URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8)};
        }
        return new String[] {form.get("client_id"), form.get("client_secret")};
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Map<String, String> form(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static void json(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JsonUtil.toJson(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
