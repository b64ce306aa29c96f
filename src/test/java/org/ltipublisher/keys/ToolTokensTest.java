package org.ltipublisher.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;

/** The tool's own HS256 tokens: a token checks only for its purpose, unaltered, unexpired, signed HS256. */
@QuarkusTest
class ToolTokensTest extends WithPostgres {

    @Inject
    ToolTokens tokens;

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("someone");
        claims.setStringClaim("resource", "r-1");
        return claims;
    }

    @Test
    void aTokenChecksForItsPurposeWithItsClaims() throws Exception {
        String token = tokens.sign(TokenPurpose.HAND_OFF, claims(), Duration.ofMinutes(5));
        JwtClaims read = tokens.verify(TokenPurpose.HAND_OFF, token);
        assertEquals("someone", read.getSubject());
        assertEquals("r-1", read.getStringClaimValue("resource"));
        assertEquals("HAND_OFF", read.getStringClaimValue("purpose"));
    }

    @Test
    void anExpiredTokenIsRefusedAsExpired() {
        String token = tokens.sign(TokenPurpose.HAND_OFF, claims(), Duration.ofSeconds(-1));
        assertTrue(assertThrows(ToolTokens.InvalidToolToken.class,
                () -> tokens.verify(TokenPurpose.HAND_OFF, token)).expired());
    }

    @Test
    void aTokenOfAnotherPurposeAlteredOrUnsignedIsNotOurs() {
        String state = tokens.sign(TokenPurpose.STATE, claims(), Duration.ofMinutes(5));
        assertFalse(assertThrows(ToolTokens.InvalidToolToken.class,
                () -> tokens.verify(TokenPurpose.HAND_OFF, state)).expired());

        String[] parts = tokens.sign(TokenPurpose.HAND_OFF, claims(), Duration.ofMinutes(5)).split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"admin\",\"purpose\":\"HAND_OFF\",\"exp\":4102444800}".getBytes(StandardCharsets.UTF_8));
        String altered = parts[0] + "." + otherPayload + "." + parts[2];
        assertFalse(assertThrows(ToolTokens.InvalidToolToken.class,
                () -> tokens.verify(TokenPurpose.HAND_OFF, altered)).expired());

        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + otherPayload + ".";
        assertFalse(assertThrows(ToolTokens.InvalidToolToken.class,
                () -> tokens.verify(TokenPurpose.HAND_OFF, none)).expired());
        assertFalse(assertThrows(ToolTokens.InvalidToolToken.class,
                () -> tokens.verify(TokenPurpose.HAND_OFF, "not a token")).expired());
    }
}
