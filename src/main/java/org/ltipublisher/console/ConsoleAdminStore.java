package org.ltipublisher.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.web.Rejection;

import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * Local console administrators and the one-time setup link that creates the first of them. Passwords are
 * bcrypt; the setup token is 256 random bits of which only the SHA-256 is stored.
 */
@ApplicationScoped
public class ConsoleAdminStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate sql;
    private final ConsoleConfig config;
    private final Clock clock;
    private volatile String dummyHash;

    public ConsoleAdminStore(JdbcTemplate sql, ConsoleConfig config, Clock clock) {
        this.sql = sql;
        this.config = config;
        this.clock = clock;
    }

    public boolean anyAdmin() {
        return sql.queryOne("select exists (select 1 from console_admin) as any", row -> row.getBoolean("any"))
                .orElse(false);
    }

    /**
     * A new setup link token while no administrator exists and no unused link is still valid; empty otherwise
     * (another replica printed one). One upsert decides between replicas starting together.
     */
    @Transactional
    public Optional<String> offerSetupToken() {
        if (anyAdmin()) {
            return Optional.empty();
        }
        String token = randomToken();
        Instant now = clock.instant();
        int issued = sql.update("""
                insert into console_setup_link (id, token_sha256, created_at, expires_at) values (1, ?, ?, ?)
                on conflict (id) do update set token_sha256 = excluded.token_sha256,
                    created_at = excluded.created_at, expires_at = excluded.expires_at, used_at = null
                where console_setup_link.expires_at <= ? or console_setup_link.used_at is not null
                """, ConsoleSessions.sha256(token), now, now.plus(config.setupLinkTtl()), now);
        return issued == 1 ? Optional.of(token) : Optional.empty();
    }

    /** Whether the token is a setup link that can still be used (shown before the password form). */
    public boolean setupTokenValid(String token) {
        return wellFormed(token) && sql.queryOne("""
                select 1 as one from console_setup_link where token_sha256 = ? and used_at is null and expires_at > ?
                """, row -> row.getInt("one"), ConsoleSessions.sha256(token), clock.instant()).isPresent()
                && !anyAdmin();
    }

    /** Uses the setup link once: creates the first administrator. 410 when used, expired or unknown. */
    @Transactional
    public ConsoleAdmin completeSetup(String token, String username, String password) {
        String name = requireUsername(username);
        requirePassword(password);
        Instant now = clock.instant();
        // the conditional update locks the row: of two concurrent uses exactly one sees it unused
        int used = wellFormed(token) ? sql.update("""
                update console_setup_link set used_at = ? where token_sha256 = ? and used_at is null and expires_at > ?
                """, now, ConsoleSessions.sha256(token), now) : 0;
        if (used != 1 || anyAdmin()) {
            throw new Rejection(410, "setup_link_used_or_expired", "this setup link has been used or has expired. "
                    + "Sign in with the administrator it created, or restart LTI Publisher on an empty console_admin "
                    + "table for a new link in the log.");
        }
        UUID id = UUID.randomUUID();
        sql.update("insert into console_admin (id, username, password_hash, created_at) values (?, ?, ?, ?)",
                id, name, BcryptUtil.bcryptHash(password), now);
        return new ConsoleAdmin(id, name);
    }

    /** The administrator with this password; bcrypt runs also for unknown names, so timing reveals none. */
    public Optional<ConsoleAdmin> authenticate(String username, String password) {
        String name = username == null ? "" : username.trim();
        record Row(UUID id, String username, String hash) {
        }
        Optional<Row> row = sql.queryOne("""
                select id, username, password_hash from console_admin where username = ? and origin = 'local'
                """,
                r -> new Row(r.getObject("id", UUID.class), r.getString("username"), r.getString("password_hash")),
                name);
        String candidate = password == null ? "" : password;
        if (row.isEmpty()) {
            BcryptUtil.matches(candidate, dummyHash());
            return Optional.empty();
        }
        return BcryptUtil.matches(candidate, row.get().hash())
                ? Optional.of(new ConsoleAdmin(row.get().id(), row.get().username()))
                : Optional.empty();
    }

    /** The dev admin of dev mode's one-click sign-in (random password nobody knows). */
    public ConsoleAdmin devAdmin() {
        sql.update("""
                insert into console_admin (id, username, password_hash, created_at) values (?, 'dev-admin', ?, ?)
                on conflict (username) where origin = 'local' do nothing
                """, UUID.randomUUID(), BcryptUtil.bcryptHash(randomToken()), clock.instant());
        return sql.queryOne("select id, username from console_admin where username = 'dev-admin' and origin = 'local'",
                r -> new ConsoleAdmin(r.getObject("id", UUID.class), r.getString("username"))).orElseThrow();
    }

    /**
     * The administrator the school's identity provider signed in, recorded (or renamed) under its issuer and subject,
     * the pair OpenID Connect Core 1.0 §5.7 names as the only stable identifier. One upsert: concurrent first
     * sign-ins of one person make one row.
     */
    public ConsoleAdmin identityProviderAdmin(String issuer, String subject, String username) {
        return sql.queryOne("""
                insert into console_admin (id, username, origin, oidc_issuer, oidc_subject, created_at)
                values (?, ?, 'oidc', ?, ?, ?)
                on conflict (oidc_issuer, oidc_subject) where origin = 'oidc' do update set username = excluded.username
                returning id, username
                """, r -> new ConsoleAdmin(r.getObject("id", UUID.class), r.getString("username")),
                UUID.randomUUID(), username, issuer, subject, clock.instant()).orElseThrow();
    }

    private String requireUsername(String username) {
        String name = username == null ? "" : username.trim();
        if (name.isEmpty() || name.length() > 200) {
            throw Rejection.badRequest("username_invalid", "choose a username of 1 to 200 characters");
        }
        return name;
    }

    private void requirePassword(String password) {
        if (password == null || password.length() < config.minPasswordLength() || password.length() > 72) {
            // bcrypt reads at most 72 bytes: a longer password would be cut without telling
            throw Rejection.badRequest("password_too_short", "choose a password of " + config.minPasswordLength()
                    + " to 72 characters");
        }
    }

    private String dummyHash() {
        if (dummyHash == null) {
            dummyHash = BcryptUtil.bcryptHash(randomToken());
        }
        return dummyHash;
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean wellFormed(String token) {
        return token != null && token.length() == 43
                && token.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }
}
