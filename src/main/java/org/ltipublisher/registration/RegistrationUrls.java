package org.ltipublisher.registration;

import org.ltipublisher.lti.ToolPaths;

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

import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.web.Rejection;

/**
 * One-time, expiring dynamic registration URLs ({@code /lti/register/{token}}, DR 1.0 §3.1): the only way a
 * platform can register itself, and only for the registration an administrator created. The token is 32
 * random bytes; only its SHA-256 is stored. It is consumed when, and only when, a registration completes.
 */
@ApplicationScoped
public class RegistrationUrls {

    public static final String PATH = ToolPaths.REGISTER + "/";

    private final JdbcTemplate sql;
    private final LtiConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RegistrationUrls(JdbcTemplate sql, LtiConfig config, Clock clock) {
        this.sql = sql;
        this.config = config;
        this.clock = clock;
    }

    /** A pending registration URL as stored. */
    public record Pending(UUID id, UUID registrationId, Instant expiresAt, Instant usedAt) {
    }

    /** Issues a new URL for the registration (call inside the transaction that created it). */
    public String issue(UUID registrationId, String baseUrl) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        sql.update("insert into registration_url (id, registration_id, token_sha256, expires_at, created_at) "
                + "values (?, ?, ?, ?, ?)", UUID.randomUUID(), registrationId, sha256(token),
                now.plus(config.registration().tokenTtl()), now);
        return baseUrl + PATH + token;
    }

    /** The usable pending registration for this token: 404 when unknown, 410 when used or expired. */
    public Pending requireUsable(String token) {
        return usable(find(token, false));
    }

    /**
     * Same as {@link #requireUsable} but locks the row for the rest of the transaction, so two platforms
     * racing with one URL cannot both complete.
     */
    public Pending lockUsable(String token) {
        return usable(find(token, true));
    }

    /** Marks the URL used: the registration it was for completed (call in that same transaction). */
    public void consume(Pending pending) {
        sql.update("update registration_url set used_at = ? where id = ?", clock.instant(), pending.id());
    }

    private Pending find(String token, boolean lock) {
        if (token == null || token.isBlank() || token.length() > 100) {
            throw unknown();
        }
        return sql.queryOne("select id, registration_id, expires_at, used_at from registration_url "
                + "where token_sha256 = ?" + (lock ? " for update" : ""),
                row -> new Pending(row.getObject("id", UUID.class), row.getObject("registration_id", UUID.class),
                        row.getTimestamp("expires_at").toInstant(),
                        row.getTimestamp("used_at") == null ? null : row.getTimestamp("used_at").toInstant()),
                sha256(token)).orElseThrow(RegistrationUrls::unknown);
    }

    private Pending usable(Pending pending) {
        if (pending.usedAt() != null) {
            throw new Rejection(410, "registration_url_used", "this registration URL was already used on "
                    + pending.usedAt() + "; registration URLs work once. Ask the tool administrator for a new one.");
        }
        if (!clock.instant().isBefore(pending.expiresAt())) {
            throw new Rejection(410, "registration_url_expired", "this registration URL expired on "
                    + pending.expiresAt() + ". Ask the tool administrator for a new one.");
        }
        return pending;
    }

    private static Rejection unknown() {
        return Rejection.notFound("unknown_registration_url", "this registration URL is not one this tool issued "
                + "(check that it was copied completely), or its registration was deleted");
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
