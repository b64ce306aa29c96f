package org.ltipublisher.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The services side of a simulated platform, on the {@link PlatformSimulator}'s origin: an OAuth 2 token
 * endpoint that verifies the tool's client assertion against the tool's real JWKS (Security Framework
 * §4.1), AGS line items and scores (AGS §3.2, §3.4) and NRPS memberships with paging and differences
 * (NRPS §2). Faults can be programmed: failing answers, revoked tokens, failing roster pages.
 */
public final class PlatformServices {

    public static final String AGS_SCOPE_PREFIX = "https://purl.imsglobal.org/spec/lti-ags/scope/";
    public static final String NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlatformSimulator platform;
    private final JwtConsumer assertions;
    private final Set<String> seenJtis = ConcurrentHashMap.newKeySet();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<String> assertionFailures = new CopyOnWriteArrayList<>();
    private volatile long tokenLifetime = 3600;

    private final Map<String, ObjectNode> lineItems = new ConcurrentHashMap<>();
    private final AtomicInteger lineItemSeq = new AtomicInteger(100);
    private final AtomicInteger lineItemPosts = new AtomicInteger();
    private final AtomicInteger lineItemGets = new AtomicInteger();
    private final List<ReceivedScore> scores = new CopyOnWriteArrayList<>();
    private final Map<String, String> lastTimestamp = new ConcurrentHashMap<>();
    private final AtomicInteger staleScores = new AtomicInteger();
    private final Deque<Fault> scoreFaults = new ConcurrentLinkedDeque<>();
    private final List<String> serviceAuthFailures = new CopyOnWriteArrayList<>();

    private final Map<String, Roster> rosters = new ConcurrentHashMap<>();

    /** A score as the platform received it. */
    public record ReceivedScore(String path, String query, String contentType, String userAgent, JsonNode body) {
        public String userId() {
            return body.path("userId").asText();
        }
    }

    /** An answer the platform gives instead of accepting, {@code times} times. */
    private static final class Fault {
        final int status;
        final String retryAfter;
        final String body;
        final AtomicInteger left;
        final Predicate<JsonNode> applies;

        Fault(int status, int times, String retryAfter, String body, Predicate<JsonNode> applies) {
            this.status = status;
            this.retryAfter = retryAfter;
            this.body = body;
            this.left = new AtomicInteger(times);
            this.applies = applies;
        }
    }

    public PlatformServices(PlatformSimulator platform, String toolJwksUrl) {
        this.platform = platform;
        HttpsJwks jwks = new HttpsJwks(toolJwksUrl);
        this.assertions = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                .setExpectedAudience(platform.tokenUrl())
                .setRequireExpirationTime().setRequireIssuedAt().setRequireJwtId().setRequireSubject()
                .setMaxFutureValidityInMinutes(5)
                .setAllowedClockSkewInSeconds(30)
                .build();
        platform.handle("/token", this::token);
        platform.handle("/ags/", this::ags);
        platform.handle("/nrps/", this::nrps);
    }

    // --- token endpoint ----------------------------------------------------------------------

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public List<String> assertionFailures() {
        return List.copyOf(assertionFailures);
    }

    /** Every issued token stops working: the next service call answers 401 (token revoked early). */
    public void revokeTokens() {
        tokens.clear();
    }

    public void tokenLifetime(long seconds) {
        tokenLifetime = seconds;
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = PlatformSimulator.query(body(exchange));
        if (!"POST".equals(exchange.getRequestMethod())
                || !"client_credentials".equals(form.get("grant_type"))
                || !"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
            assertionFailures.add("bad grant: " + form);
            sendJson(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        if (exchange.getRequestHeaders().getFirst("User-Agent") == null) {
            assertionFailures.add("no User-Agent");
        }
        try {
            JwtClaims claims = assertions.processToClaims(form.get("client_assertion"));
            if (!claims.getIssuer().equals(claims.getSubject())) {
                throw new IllegalStateException("iss " + claims.getIssuer() + " != sub " + claims.getSubject());
            }
            if (claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue() > 300) {
                throw new IllegalStateException("assertion lives longer than 5 minutes");
            }
            if (!seenJtis.add(claims.getJwtId())) {
                throw new IllegalStateException("jti reused: " + claims.getJwtId());
            }
        } catch (InvalidJwtException | RuntimeException | org.jose4j.jwt.MalformedClaimException e) {
            assertionFailures.add(e.toString());
            sendJson(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"" + e.getMessage()
                    .replace("\"", "'").replace("\n", " ") + "\"}");
            return;
        }
        String scope = form.getOrDefault("scope", "");
        String token = UUID.randomUUID().toString();
        tokens.put(token, scope);
        ObjectNode answer = JSON.createObjectNode().put("access_token", token).put("token_type", "Bearer")
                .put("expires_in", tokenLifetime).put("scope", scope);
        sendJson(exchange, 200, answer.toString());
    }

    /** The scopes of the bearer token, or null (401 sent) when it is unknown or revoked. */
    private String authorise(HttpExchange exchange, String neededScope) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String scopes = header != null && header.startsWith("Bearer ") ? tokens.get(header.substring(7)) : null;
        if (scopes == null) {
            sendJson(exchange, 401, "{\"error\":\"invalid_token\"}");
            return null;
        }
        if (!List.of(scopes.split(" ")).contains(neededScope)) {
            serviceAuthFailures.add("missing scope " + neededScope + " in " + scopes);
            sendJson(exchange, 403, "{\"error\":\"insufficient_scope\"}");
            return null;
        }
        if (exchange.getRequestHeaders().getFirst("User-Agent") == null) {
            serviceAuthFailures.add("no User-Agent on " + exchange.getRequestURI());
        }
        return scopes;
    }

    public List<String> serviceAuthFailures() {
        return List.copyOf(serviceAuthFailures);
    }

    // --- AGS ---------------------------------------------------------------------------------

    public List<ReceivedScore> scores() {
        return List.copyOf(scores);
    }

    public List<ReceivedScore> scoresFor(String userId) {
        return scores.stream().filter(s -> s.userId().equals(userId)).toList();
    }

    /** Scores whose timestamp was not later than the previous one of the same user and line item. */
    public int staleScores() {
        return staleScores.get();
    }

    public int lineItemPosts() {
        return lineItemPosts.get();
    }

    public int lineItemGets() {
        return lineItemGets.get();
    }

    public List<ObjectNode> lineItems() {
        return new ArrayList<>(lineItems.values());
    }

    /** The next {@code times} score posts (for any user) are answered with {@code status}. */
    public void failScores(int status, int times, String retryAfter, String body) {
        scoreFaults.add(new Fault(status, times, retryAfter, body, any -> true));
    }

    /** Score posts for this user are answered with {@code status} until {@link #clearFaults()}. */
    public void refuseUser(String userId, int status, String body) {
        scoreFaults.add(new Fault(status, Integer.MAX_VALUE, null, body, s -> userId.equals(s.path("userId").asText())));
    }

    public void clearFaults() {
        scoreFaults.clear();
    }

    /** A line item that exists already in a context's gradebook; returns its URL. */
    public String addLineItem(String context, Map<String, Object> fields) {
        ObjectNode item = JSON.valueToTree(fields);
        String id = platform.issuer() + "/ags/" + context + "/lineitems/" + lineItemSeq.incrementAndGet();
        item.put("id", id);
        lineItems.put(id, item);
        return id;
    }

    private void ags(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String[] path = uri.getPath().split("/"); // "", "ags", ctx, "lineitems", [id], ["scores"]
        String method = exchange.getRequestMethod();
        if (path.length == 4 && path[3].equals("lineitems")) {
            String context = path[2];
            String container = platform.issuer() + "/ags/" + context + "/lineitems";
            if (method.equals("GET")) {
                if (authorise(exchange, AGS_SCOPE_PREFIX + "lineitem") == null) {
                    return;
                }
                lineItemGets.incrementAndGet();
                requireAccept(exchange, "application/vnd.ims.lis.v2.lineitemcontainer+json");
                Map<String, String> q = PlatformSimulator.query(uri.getRawQuery());
                ArrayNode items = JSON.createArrayNode();
                lineItems.values().stream().filter(i -> i.path("id").asText().startsWith(container + "/"))
                        .filter(i -> !q.containsKey("resource_id") || q.get("resource_id").equals(i.path("resourceId").asText()))
                        .filter(i -> !q.containsKey("tag") || q.get("tag").equals(i.path("tag").asText()))
                        .filter(i -> !q.containsKey("resource_link_id") || !i.has("resourceLinkId")
                                || q.get("resource_link_id").equals(i.path("resourceLinkId").asText()))
                        .forEach(items::add);
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.ims.lis.v2.lineitemcontainer+json");
                send(exchange, 200, items.toString());
            } else if (method.equals("POST")) {
                if (authorise(exchange, AGS_SCOPE_PREFIX + "lineitem") == null) {
                    return;
                }
                if (!"application/vnd.ims.lis.v2.lineitem+json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                    sendJson(exchange, 415, "{\"error\":\"wrong media type\"}");
                    return;
                }
                lineItemPosts.incrementAndGet();
                ObjectNode item = (ObjectNode) JSON.readTree(body(exchange));
                if (item.path("label").asText("").isBlank() || item.path("scoreMaximum").asDouble(0) <= 0) {
                    sendJson(exchange, 400, "{\"error\":\"label and scoreMaximum > 0 are required\"}");
                    return;
                }
                String id = container + "/" + lineItemSeq.incrementAndGet();
                item.put("id", id);
                lineItems.put(id, item);
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.ims.lis.v2.lineitem+json");
                send(exchange, 201, item.toString());
            } else {
                send(exchange, 405, "");
            }
            return;
        }
        if (path.length == 6 && path[3].equals("lineitems") && path[5].equals("scores") && method.equals("POST")) {
            if (authorise(exchange, AGS_SCOPE_PREFIX + "score") == null) {
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            JsonNode score = JSON.readTree(body(exchange));
            for (Fault fault : scoreFaults) {
                if (fault.applies.test(score) && fault.left.getAndDecrement() > 0) {
                    if (fault.retryAfter != null) {
                        exchange.getResponseHeaders().add("Retry-After", fault.retryAfter);
                    }
                    sendJson(exchange, fault.status, fault.body == null ? "" : fault.body);
                    return;
                }
            }
            if (!"application/vnd.ims.lis.v1.score+json".equals(contentType)) {
                sendJson(exchange, 415, "{\"error\":\"scores are application/vnd.ims.lis.v1.score+json\"}");
                return;
            }
            String key = uri.getPath() + " " + score.path("userId").asText();
            String timestamp = score.path("timestamp").asText();
            synchronized (lastTimestamp) {
                String previous = lastTimestamp.get(key);
                if (previous != null && java.time.Instant.parse(timestamp).compareTo(java.time.Instant.parse(previous)) <= 0) {
                    staleScores.incrementAndGet();
                } else {
                    lastTimestamp.put(key, timestamp);
                }
            }
            scores.add(new ReceivedScore(uri.getPath(), uri.getRawQuery(), contentType,
                    exchange.getRequestHeaders().getFirst("User-Agent"), score));
            send(exchange, 200, "");
            return;
        }
        sendJson(exchange, 404, "{\"error\":\"no such AGS resource " + uri + "\"}");
    }

    private void requireAccept(HttpExchange exchange, String mediaType) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept == null || !accept.contains(mediaType)) {
            serviceAuthFailures.add("Accept " + accept + " instead of " + mediaType);
        }
    }

    // --- NRPS --------------------------------------------------------------------------------

    /** One context's roster (NRPS §2.3): members, a change log for differences, programmable page failures. */
    public static final class Roster {
        private final Map<String, ObjectNode> members = new LinkedHashMap<>();
        private final List<Map.Entry<Integer, String>> changes = new ArrayList<>();
        private int version;
        private final Map<Integer, AtomicInteger> failingPages = new ConcurrentHashMap<>();
        private final AtomicInteger pageRequests = new AtomicInteger();
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private volatile boolean rlidSupported = true;
        private volatile boolean offerDifferences = true;

        public synchronized Roster add(String userId, String name, String email, String status, String... roles) {
            ObjectNode m = JSON.createObjectNode().put("user_id", userId).put("status", status).put("name", name)
                    .put("given_name", name.split(" ")[0])
                    .put("family_name", name.contains(" ") ? name.substring(name.indexOf(' ') + 1) : name);
            if (email != null) {
                m.put("email", email);
            }
            ArrayNode r = m.putArray("roles");
            for (String role : roles) {
                r.add(role);
            }
            members.put(userId, m);
            changes.add(Map.entry(++version, userId));
            return this;
        }

        public synchronized Roster remove(String userId) {
            members.remove(userId);
            changes.add(Map.entry(++version, userId));
            return this;
        }

        /** Page {@code page} (1-based) answers 500, {@code times} times. */
        public Roster failPage(int page, int times) {
            failingPages.put(page, new AtomicInteger(times));
            return this;
        }

        public Roster rlidSupported(boolean supported) {
            rlidSupported = supported;
            return this;
        }

        public Roster offerDifferences(boolean offer) {
            offerDifferences = offer;
            return this;
        }

        public int pageRequests() {
            return pageRequests.get();
        }

        public List<String> requests() {
            return List.copyOf(requests);
        }

        public synchronized int size() {
            return members.size();
        }

        /** The members changed since {@code since} (all when null), removed ones as Deleted. */
        synchronized List<ObjectNode> view(Integer since) {
            if (since == null) {
                return new ArrayList<>(members.values());
            }
            Map<String, ObjectNode> changed = new LinkedHashMap<>();
            for (Map.Entry<Integer, String> change : changes) {
                if (change.getKey() > since) {
                    ObjectNode current = members.get(change.getValue());
                    changed.put(change.getValue(), current != null ? current
                            : JSON.createObjectNode().put("user_id", change.getValue()).put("status", "Deleted")
                                    .set("roles", JSON.createArrayNode()));
                }
            }
            return new ArrayList<>(changed.values());
        }

        synchronized int version() {
            return version;
        }
    }

    public Roster roster(String context) {
        return rosters.computeIfAbsent(context, c -> new Roster());
    }

    private void nrps(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String[] path = uri.getPath().split("/"); // "", "nrps", ctx, "memberships"
        if (path.length != 4 || !path[3].equals("memberships") || !exchange.getRequestMethod().equals("GET")) {
            sendJson(exchange, 404, "{\"error\":\"no such NRPS resource\"}");
            return;
        }
        if (authorise(exchange, NRPS_SCOPE) == null) {
            return;
        }
        requireAccept(exchange, "application/vnd.ims.lti-nrps.v2.membershipcontainer+json");
        Roster roster = roster(path[2]);
        roster.requests.add(uri.toString());
        Map<String, String> q = PlatformSimulator.query(uri.getRawQuery());
        if (q.containsKey("rlid") && !roster.rlidSupported) {
            sendJson(exchange, 400, "{\"error\":\"rlid is not supported\"}");
            return;
        }
        int page = Integer.parseInt(q.getOrDefault("page", "1"));
        int limit = Math.min(1000, Integer.parseInt(q.getOrDefault("limit", "100")));
        roster.pageRequests.incrementAndGet();
        AtomicInteger failing = roster.failingPages.get(page);
        if (failing != null && failing.getAndDecrement() > 0) {
            sendJson(exchange, 500, "{\"error\":\"roster page " + page + " is unavailable\"}");
            return;
        }
        Integer since = q.containsKey("since") ? Integer.valueOf(q.get("since")) : null;
        List<ObjectNode> all = roster.view(since);
        int from = Math.min(all.size(), (page - 1) * limit);
        int to = Math.min(all.size(), from + limit);
        ObjectNode container = JSON.createObjectNode().put("id", uri.toString());
        container.putObject("context").put("id", path[2]).put("title", "Course " + path[2]);
        ArrayNode members = container.putArray("members");
        all.subList(from, to).forEach(members::add);
        String base = platform.issuer() + uri.getPath() + "?limit=" + limit
                + (q.containsKey("rlid") ? "&rlid=" + q.get("rlid") : "")
                + (since != null ? "&since=" + since : "");
        if (to < all.size()) {
            exchange.getResponseHeaders().add("Link", "<" + base + "&page=" + (page + 1) + ">; rel=\"next\"");
        } else if (roster.offerDifferences) {
            exchange.getResponseHeaders().add("Link", "<" + platform.issuer() + uri.getPath() + "?since="
                    + roster.version() + ">; rel=\"differences\"");
        }
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.ims.lti-nrps.v2.membershipcontainer+json");
        send(exchange, 200, container.toString());
    }

    // --- plumbing ----------------------------------------------------------------------------

    private static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void sendJson(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
