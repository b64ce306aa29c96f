package org.ltipublisher.deeplinking;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.ltipublisher.keys.SigningKey;
import org.ltipublisher.keys.ToolKeyService;
import org.ltipublisher.lti.LtiClaims;

/**
 * The LtiDeepLinkingResponse JWT (Deep Linking 2.0 §4.5), signed RS256 with the tool's current
 * key so the platform verifies it against our JWKS.
 */
@ApplicationScoped
public class DeepLinkingResponseBuilder {

    public static final String RESPONSE = "LtiDeepLinkingResponse";
    public static final String CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";
    public static final String DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data";
    public static final String MSG = "https://purl.imsglobal.org/spec/lti-dl/claim/msg";
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private final ToolKeyService keys;
    private final Clock clock;

    public DeepLinkingResponseBuilder(ToolKeyService keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** One chosen resource; {@code lineItem} when "Add to gradebook" was ticked and the platform accepts it. */
    public record ChosenLink(UUID resourceId, String title, String kind, String url, BigDecimal scoreMaximum,
            boolean lineItem, boolean newWindow) {
    }

    public String sign(DeepLinkingSelection selection, List<ChosenLink> chosen, String message) {
        long now = clock.millis() / 1000;
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(selection.clientId());
        claims.setAudience(selection.platformIssuer());
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + LIFETIME.toSeconds()));
        claims.setStringClaim("nonce", UUID.randomUUID().toString());
        claims.setStringClaim(LtiClaims.DEPLOYMENT_ID, selection.deploymentId());
        claims.setStringClaim(LtiClaims.MESSAGE_TYPE, RESPONSE);
        claims.setStringClaim(LtiClaims.VERSION, LtiClaims.LTI_VERSION);
        claims.setClaim(CONTENT_ITEMS, chosen.stream().map(DeepLinkingResponseBuilder::item).toList());
        if (selection.settings().data() != null) {
            claims.setStringClaim(DATA, selection.settings().data());
        }
        if (message != null) {
            claims.setStringClaim(MSG, message);
        }
        SigningKey key = keys.signingKey();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "JWT");
        jws.setKey(key.privateKey());
        jws.setPayload(claims.toJson());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign the deep linking response", e);
        }
    }

    /** Deep Linking 2.0 §3.1 ltiResourceLink; custom id lets any launch find the resource (LaunchService). */
    private static Map<String, Object> item(ChosenLink link) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", ContentSelection.LTI_RESOURCE_LINK);
        item.put("title", link.title());
        item.put("url", link.url());
        item.put("custom", Map.of("id", link.resourceId().toString()));
        if (link.newWindow()) {
            item.put("window", Map.of("targetName", "_blank"));
        }
        if (link.lineItem()) {
            Map<String, Object> lineItem = new LinkedHashMap<>();
            lineItem.put("scoreMaximum", link.scoreMaximum().doubleValue());
            lineItem.put("label", link.title());
            lineItem.put("resourceId", link.resourceId().toString());
            lineItem.put("tag", link.kind().toLowerCase(Locale.ROOT));
            item.put("lineItem", lineItem);
        }
        return item;
    }
}
