package org.ltipublisher.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.JdbcTemplate;

/**
 * A local sign-in, kept as a row in PostgreSQL so any replica recognises it and sign-out ends it everywhere.
 * The cookie holds 256 random bits; the row holds only their SHA-256, so reading the table yields no
 * usable cookie. SameSite=None because the prompt and sign-in pages run inside the LMS's iframe.
 */
@ApplicationScoped
public class ToolSession {

    public static final String COOKIE = "lti_publisher_session";

    private final JdbcTemplate sql;
    private final LtiConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ToolSession(JdbcTemplate sql, LtiConfig config, Clock clock) {
        this.sql = sql;
        this.config = config;
        this.clock = clock;
    }

    public NewCookie open(UUID accountId) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        Instant now = clock.instant();
        sql.update("insert into tool_session (id_sha256, account_id, created_at, expires_at) values (?, ?, ?, ?)",
                sha256(value), accountId, now, now.plus(config.accounts().sessionTtl()));
        return cookie(value, (int) config.accounts().sessionTtl().toSeconds());
    }

    /** Ends the session on every replica (a copy of the cookie no longer signs in) and clears the cookie. */
    public NewCookie close(String cookieValue) {
        if (cookieValue != null && !cookieValue.isBlank()) {
            sql.update("delete from tool_session where id_sha256 = ?", sha256(cookieValue));
        }
        return cookie("", 0);
    }

    /** The signed-in account id, if the cookie names a session that exists and has not expired. */
    public Optional<UUID> accountId(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > 100) {
            return Optional.empty();
        }
        return sql.queryOne("select account_id from tool_session where id_sha256 = ? and expires_at > ?",
                row -> row.getObject("account_id", UUID.class), sha256(cookieValue), clock.instant());
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    private static NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(COOKIE).value(value).path("/").maxAge(maxAge).secure(true).httpOnly(true)
                .sameSite(NewCookie.SameSite.NONE).build();
    }
}
