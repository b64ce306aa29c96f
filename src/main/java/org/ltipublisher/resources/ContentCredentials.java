package org.ltipublisher.resources;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.resources.ResourceDtos.ContentCredentialView;
import org.ltipublisher.web.Rejection;

/**
 * The content application's own credential for a published resource: a key id and a 32-byte random secret,
 * shown once, stored as SHA-256 (the secret is random, so a plain digest cannot be guessed back). The content
 * presents it as HTTP Basic (RFC 7617) when it reports a score, next to the learner's launch token: the token
 * says who and which link, the credential proves the caller is the content and not the learner's browser.
 */
@ApplicationScoped
public class ContentCredentials {

    static final String KEY_PREFIX = "lpc-";
    private static final String BASIC = "Basic ";

    private final JdbcTemplate sql;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ContentCredentials(JdbcTemplate sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /** A new credential for the resource, replacing its previous one (call inside the caller's transaction). */
    ContentCredentialView issue(UUID resourceId) {
        String keyId = KEY_PREFIX + randomText(12);
        String secret = randomText(32);
        Instant now = clock.instant();
        sql.update("""
                insert into content_credential (resource_id, key_id, secret_sha256, created_at) values (?, ?, ?, ?)
                on conflict (resource_id) do update
                set key_id = excluded.key_id, secret_sha256 = excluded.secret_sha256, created_at = excluded.created_at
                """, resourceId, keyId, sha256(secret), now);
        return new ContentCredentialView(resourceId, keyId, secret, now);
    }

    /** The resource whose content presents this {@code Authorization: Basic} credential; 401 otherwise. */
    public UUID verify(String authorization) {
        if (!isBasic(authorization)) {
            throw Rejection.unauthorized("content_credential_required", "reporting a score needs the content "
                    + "application's credential (Authorization: Basic with the resource's content key id and secret) "
                    + "together with the learner's launch token in the LTI-Launch-Token header; the launch token "
                    + "alone is not accepted, because it is in the learner's browser");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon > 64) {
            throw invalid();
        }
        String keyId = decoded.substring(0, colon);
        byte[] presented = sha256(decoded.substring(colon + 1)).getBytes(StandardCharsets.US_ASCII);
        return sql.queryOne("select resource_id, secret_sha256 from content_credential where key_id = ?",
                row -> MessageDigest.isEqual(presented, row.getString("secret_sha256").getBytes(StandardCharsets.US_ASCII))
                        ? row.getObject("resource_id", UUID.class) : null,
                keyId).orElseThrow(ContentCredentials::invalid);
    }

    public static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BASIC, 0, BASIC.length());
    }

    private static Rejection invalid() {
        return Rejection.unauthorized("invalid_content_credential", "the content credential is unknown or its secret "
                + "is wrong (it may have been rotated): use the key id and secret the administrator received for this "
                + "resource");
    }

    private String randomText(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
