package org.ltipublisher.keys;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Short-lived tokens the tool signs for itself (HS256): cheap to make and check on the hot path,
 * self-contained so that any replica can verify what another issued. Every launch signs two and checks two, so
 * the keys are built once (the secrets never change) and a token is checked as the JWS it is (RFC 7515 §5.2)
 * and its claims read once, without building a JWT consumer per token.
 */
@ApplicationScoped
public class ToolTokens {

    private static final AlgorithmConstraints HS256_ONLY = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256);

    private final ToolSecretService secrets;
    private final Clock clock;
    private final Map<TokenPurpose, HmacKey> keys = new ConcurrentHashMap<>();

    public ToolTokens(ToolSecretService secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Signs {@code claims} for {@code purpose}, adding iat and exp. */
    public String sign(TokenPurpose purpose, JwtClaims claims, Duration ttl) {
        long now = clock.millis() / 1000;
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + ttl.toSeconds()));
        claims.setStringClaim("purpose", purpose.name());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(key(purpose));
        jws.setPayload(claims.toJson());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a tool token", e);
        }
    }

    /**
     * Verified claims, or an exception saying whether the token is expired or simply not ours. The checks a
     * JWT consumer would make of it (RFC 7519 §7.2): HS256 only, the signature, then exp required and not past
     * (no clock skew: one clock made it).
     */
    public JwtClaims verify(TokenPurpose purpose, String token) throws InvalidToolToken {
        JwtClaims claims;
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(HS256_ONLY);
            jws.setCompactSerialization(token);
            jws.setKey(key(purpose));
            if (!jws.verifySignature()) {
                throw new InvalidToolToken(false);
            }
            claims = JwtClaims.parse(jws.getPayload());
        } catch (JoseException | InvalidJwtException | RuntimeException e) {
            // a damaged token: not compact JWS, another algorithm, or a payload that is not a JSON object
            throw new InvalidToolToken(false);
        }
        NumericDate expires;
        try {
            expires = claims.getExpirationTime();
        } catch (MalformedClaimException e) {
            throw new InvalidToolToken(false);
        }
        if (expires == null || !purpose.name().equals(claims.getClaimValueAsString("purpose"))) {
            throw new InvalidToolToken(false);
        }
        if (!NumericDate.fromMilliseconds(clock.millis()).isBefore(expires)) {
            throw new InvalidToolToken(true);
        }
        return claims;
    }

    private HmacKey key(TokenPurpose purpose) {
        return keys.computeIfAbsent(purpose, p -> new HmacKey(secrets.secret(p)));
    }

    /** A tool token that failed verification; {@link #expired()} separates "too old" from "forged or damaged". */
    public static final class InvalidToolToken extends Exception {
        private final boolean expired;

        InvalidToolToken(boolean expired) {
            super(expired ? "token expired" : "token invalid", null, false, false);
            this.expired = expired;
        }

        public boolean expired() {
            return expired;
        }
    }
}
