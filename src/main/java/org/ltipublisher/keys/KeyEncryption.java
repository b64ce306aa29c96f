package org.ltipublisher.keys;

import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.keys.AesKey;
import org.jose4j.lang.JoseException;
import org.ltipublisher.LtiConfig;

/**
 * Encrypts private keys and shared secrets at rest as compact JWE (dir + A256GCM) with the key from
 * {@code lti.keys.encryption-key}, so a database dump alone never yields a usable signing key.
 */
@ApplicationScoped
public class KeyEncryption {

    private final AesKey key;

    public KeyEncryption(LtiConfig config) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(config.keys().encryptionKey().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("lti.keys.encryption-key must be base64 (e.g. `openssl rand -base64 32`)", e);
        }
        if (raw.length != 32) {
            throw new IllegalStateException(
                    "lti.keys.encryption-key must decode to 32 bytes (e.g. `openssl rand -base64 32`), it has " + raw.length);
        }
        this.key = new AesKey(raw);
    }

    public String encrypt(String plaintext) {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.DIRECT);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        jwe.setKey(key);
        jwe.setPayload(plaintext);
        try {
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot encrypt key material", e);
        }
    }

    public String decrypt(String compactJwe) {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                KeyManagementAlgorithmIdentifiers.DIRECT));
        jwe.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                ContentEncryptionAlgorithmIdentifiers.AES_256_GCM));
        jwe.setKey(key);
        try {
            jwe.setCompactSerialization(compactJwe);
            return jwe.getPayload();
        } catch (JoseException e) {
            throw new IllegalStateException(
                    "cannot decrypt stored key material: is lti.keys.encryption-key the one the keys were created with?", e);
        }
    }
}
