package org.ltipublisher.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ltipublisher.testing.AdminApi.admin;

import java.security.interfaces.RSAPublicKey;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;
import org.ltipublisher.testing.DbCounts;
import org.ltipublisher.testing.WithPostgres;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The tool's keys: created on first start, kept encrypted, served as JWKS, rotated with an overlap. */
@QuarkusTest
class ToolKeyTest extends WithPostgres {

    @Inject
    DataSource db;

    @Inject
    ToolKeyService keys;

    private static JsonWebKeySet jwks() throws Exception {
        Response response = given().get("/.well-known/jwks.json");
        response.then().statusCode(200).header("Cache-Control", "public, max-age=300");
        assertFalse(response.asString().contains("\"d\""), "no private part is ever published");
        return new JsonWebKeySet(response.asString());
    }

    @Test
    void jwksPublishesTheSigningKeyAndTheNextOneAsRsa2048() throws Exception {
        List<JsonWebKey> published = jwks().getJsonWebKeys();
        assertTrue(published.size() >= 2, "signing key and the pre-published next key");
        for (JsonWebKey key : published) {
            assertEquals("RS256", key.getAlgorithm());
            assertEquals("sig", key.getUse());
            assertTrue(((RSAPublicKey) key.getKey()).getModulus().bitLength() >= 2048);
        }
        assertTrue(published.stream().anyMatch(k -> k.getKeyId().equals(keys.signingKey().kid())));
    }

    @Test
    void privateKeysAreEncryptedAtRest() {
        String stored = DbCounts.text(db, "select private_key_jwe from tool_key where status = 'ACTIVE'");
        assertEquals(5, stored.split("\\.", -1).length, "compact JWE");
        assertFalse(stored.contains("\"d\""));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from tool_key where status = 'ACTIVE'"));
        assertEquals(1, DbCounts.scalar(db, "select count(*) from tool_key where status = 'NEXT'"));
    }

    @Test
    void rotationPromotesThePublishedNextKeyAndKeepsTheRetiredOneForTheOverlap() throws Exception {
        String before = keys.signingKey().kid();
        String next = DbCounts.text(db, "select kid from tool_key where status = 'NEXT'");

        admin().post("/api/v1/keys/rotate").then().statusCode(200).body("kid", equalTo(next))
                .body("status", equalTo("ACTIVE"));

        // the new signing key was already published before it signed anything
        assertEquals(next, DbCounts.text(db, "select kid from tool_key where status = 'ACTIVE'"));
        assertEquals("RETIRED", DbCounts.text(db, "select status from tool_key where kid = ?", before));
        List<String> kids = jwks().getJsonWebKeys().stream().map(JsonWebKey::getKeyId).toList();
        assertTrue(kids.contains(before), "the retired key stays published during the overlap");
        assertTrue(kids.contains(next));
        String newNext = DbCounts.text(db, "select kid from tool_key where status = 'NEXT'");
        assertTrue(kids.contains(newNext), "a fresh next key is published at once");
        assertNotEquals(before, newNext);

        // what the tool signs now verifies with the published key of that kid
        SigningKey signing = keys.signingKey();
        assertEquals(next, signing.kid());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{\"probe\":true}");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(signing.kid());
        jws.setKey(signing.privateKey());
        String compact = jws.getCompactSerialization();
        JsonWebSignature verify = new JsonWebSignature();
        verify.setCompactSerialization(compact);
        verify.setKey(jwks().getJsonWebKeys().stream().filter(k -> k.getKeyId().equals(signing.kid())).findFirst()
                .orElseThrow().getKey());
        assertTrue(verify.verifySignature());

        admin().get("/api/v1/keys").then().statusCode(200);
        given().post("/api/v1/keys/rotate").then().statusCode(401);
    }

    @Test
    void retiredKeysLeaveTheJwksAfterTheOverlap() throws Exception {
        admin().post("/api/v1/keys/rotate").then().statusCode(200);
        String retired = DbCounts.text(db, "select kid from tool_key where status = 'RETIRED' order by retired_at desc limit 1");
        try (var connection = db.getConnection(); var statement = connection.prepareStatement(
                "update tool_key set retired_at = now() - interval '25 hours' where kid = ?")) {
            statement.setString(1, retired);
            statement.executeUpdate();
        }
        assertFalse(jwks().getJsonWebKeys().stream().anyMatch(k -> k.getKeyId().equals(retired)));
        keys.pruneRetired();
        assertEquals(0, DbCounts.scalar(db, "select count(*) from tool_key where kid = ?", retired));
    }
}
