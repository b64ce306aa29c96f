package org.ltipublisher.keys;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Short-lived tokens the tool signs for itself (HS256): cheap to make and check on the hot path,
 * self-contained so that any replica can verify what another issued.
 */
@ApplicationScoped
public class ToolTokens {

    private final ToolSecretService secrets;
    private final Clock clock;

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
        jws.setKey(new HmacKey(secrets.secret(purpose)));
        jws.setPayload(claims.toJson());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a tool token", e);
        }
    }

    /** Verified claims, or an exception saying whether the token is expired or simply not ours. */
    public JwtClaims verify(TokenPurpose purpose, String token) throws InvalidToolToken {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(new HmacKey(secrets.secret(purpose)))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .setRequireExpirationTime()
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setSkipDefaultAudienceValidation()
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            if (!purpose.name().equals(claims.getClaimValueAsString("purpose"))) {
                throw new InvalidToolToken(false);
            }
            return claims;
        } catch (InvalidJwtException e) {
            throw new InvalidToolToken(e.hasExpired());
        }
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
