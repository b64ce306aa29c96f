package org.ltipublisher.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import org.ltipublisher.db.JdbcTemplate;

/**
 * Console sessions as rows in PostgreSQL, so every replica knows them and sign-out ends them everywhere.
 * The cookie is {@code __Host-} prefixed (RFC 6265bis §4.1.3.2: Secure, Path=/, no Domain), HttpOnly and
 * SameSite=Lax: the console is first-party, never framed, so it need not travel on cross-site requests.
 */
@ApplicationScoped
public class ConsoleSessions {

    public static final String COOKIE = "__Host-lti_console";

    private final JdbcTemplate sql;
    private final ConsoleConfig config;
    private final Clock clock;

    public ConsoleSessions(JdbcTemplate sql, ConsoleConfig config, Clock clock) {
        this.sql = sql;
        this.config = config;
        this.clock = clock;
    }

    public NewCookie open(ConsoleAdmin admin) {
        String value = ConsoleAdminStore.randomToken();
        Instant now = clock.instant();
        sql.update("""
                insert into console_session (id_sha256, admin_id, created_at, last_seen_at, expires_at)
                values (?, ?, ?, ?, ?)
                """, sha256(value), admin.id(), now, now, now.plus(config.sessionMaxAge()));
        return cookie(value, -1);
    }

    /** The session's administrator, if neither idle nor absolute timeout has passed; marks it as used now. */
    public Optional<ConsoleAdmin> admin(String cookieValue) {
        if (cookieValue == null || cookieValue.length() != 43) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return sql.queryOne("""
                update console_session s set last_seen_at = ? from console_admin a
                where s.id_sha256 = ? and a.id = s.admin_id and s.expires_at > ? and s.last_seen_at > ?
                returning a.id as admin_id, a.username as username
                """, row -> new ConsoleAdmin(row.getObject("admin_id", UUID.class), row.getString("username")),
                now, sha256(cookieValue), now, now.minus(config.sessionIdleTimeout()));
    }

    /** Ends the session on the server (a copied cookie signs nobody in afterwards) and clears the cookie. */
    public NewCookie close(String cookieValue) {
        if (cookieValue != null && !cookieValue.isBlank()) {
            sql.update("delete from console_session where id_sha256 = ?", sha256(cookieValue));
        }
        return cookie("", 0);
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
                .sameSite(NewCookie.SameSite.LAX).build();
    }
}
