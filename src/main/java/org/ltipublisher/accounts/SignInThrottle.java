package org.ltipublisher.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.web.Rejection;

/**
 * Sign-in attempts, limited per username and per client address, with the counts in PostgreSQL so every
 * replica enforces the same limit. A failure is one upsert (race-free under concurrent attempts); a
 * throttled key is refused before any password is checked, so guessing costs the attacker time, not us
 * bcrypt rounds. Wraps {@link AccountService#authenticate} for both the sign-in page and the account
 * choice of a launch.
 */
@ApplicationScoped
public class SignInThrottle {

    private static final Logger LOG = Logger.getLogger(SignInThrottle.class);

    /** Whose sign-ins are counted: the prefix of their throttle keys, and their names in messages and logs. */
    public record Keyspace(String keyPrefix, String noun, String logName) {
    }

    /** The tool's accounts (sign-in page, account choice of a launch). */
    public static final Keyspace TOOL_ACCOUNTS = new Keyspace("", "account", "sign-in");

    private final AccountService accounts;
    private final JdbcTemplate sql;
    private final LtiConfig config;
    private final Clock clock;

    public SignInThrottle(AccountService accounts, JdbcTemplate sql, LtiConfig config, Clock clock) {
        this.accounts = accounts;
        this.sql = sql;
        this.config = config;
        this.clock = clock;
    }

    /** Signs in with username and password; 429 (with Retry-After) while the user or address is throttled. */
    public Optional<AccountSummary> signIn(String username, String password, String clientAddress) {
        refuseWhileThrottled(TOOL_ACCOUNTS, username, clientAddress);
        AccountService.Authentication result = accounts.authenticate(username, password);
        if (result.account().isPresent()) {
            clearFailures(TOOL_ACCOUNTS, username);
            return result.account();
        }
        recordFailure(TOOL_ACCOUNTS, username, clientAddress, result.failure().name().toLowerCase(Locale.ROOT));
        return Optional.empty();
    }

    /** The signed-in account's password asked again before a launch is linked to it; throttled like a sign-in. */
    public boolean reauthenticate(AccountSummary account, String password, String clientAddress) {
        refuseWhileThrottled(TOOL_ACCOUNTS, account.username(), clientAddress);
        if (accounts.passwordMatches(account.id(), password)) {
            return true;
        }
        recordFailure(TOOL_ACCOUNTS, account.username(), clientAddress, "wrong_password_on_reauthentication");
        return false;
    }

    /**
     * 429 (with Retry-After) while this username or address of {@code accounts} has failed too often within the
     * window; called before any password is checked. Other sign-ins (the admin console's) count here too, in a
     * keyspace of their own.
     */
    public void refuseWhileThrottled(Keyspace keyspace, String username, String address) {
        Instant now = clock.instant();
        Duration window = config.accounts().signInWindow();
        Optional<Instant> until = sql.queryOne("""
                select max(window_started_at) as window_started_at from sign_in_failure
                where window_started_at > ?
                  and ((throttle_key = ? and failures >= ?) or (throttle_key = ? and failures >= ?))
                """, row -> row.getObject("window_started_at", java.time.OffsetDateTime.class), now.minus(window),
                userKey(keyspace, username), config.accounts().signInMaxFailuresPerUser(),
                addressKey(keyspace, address), config.accounts().signInMaxFailuresPerAddress())
                .map(started -> started.toInstant().plus(window));
        if (until.isPresent()) {
            long seconds = Math.max(1, Duration.between(now, until.get()).toSeconds() + 1);
            LOG.infof("%s refused username=%s address=%s reason=throttled retryAfter=%ds", keyspace.logName(),
                    quoted(username), address, seconds);
            throw new Rejection(429, "sign_in_throttled", "too many failed sign-ins for this " + keyspace.noun()
                    + " or from this network; try again in " + describe(seconds))
                    .withRetryAfter(Duration.ofSeconds(seconds));
        }
    }

    /** A failed sign-in, counted for the username and the address. */
    public void recordFailure(Keyspace keyspace, String username, String address, String reason) {
        Instant now = clock.instant();
        Instant expired = now.minus(config.accounts().signInWindow());
        // one statement for both keys: a window that has run out starts again at 1
        sql.update("""
                insert into sign_in_failure (throttle_key, failures, window_started_at) values (?, 1, ?), (?, 1, ?)
                on conflict (throttle_key) do update set
                    failures = case when sign_in_failure.window_started_at <= ? then 1
                        else sign_in_failure.failures + 1 end,
                    window_started_at = case when sign_in_failure.window_started_at <= ? then excluded.window_started_at
                        else sign_in_failure.window_started_at end
                """, userKey(keyspace, username), now, addressKey(keyspace, address), now, expired, expired);
        LOG.infof("%s refused username=%s address=%s reason=%s", keyspace.logName(), quoted(username), address,
                reason);
    }

    /** A successful sign-in forgets the username's failures (the address's stay counted). */
    public void clearFailures(Keyspace keyspace, String username) {
        sql.update("delete from sign_in_failure where throttle_key = ?", userKey(keyspace, username));
    }

    private static String userKey(Keyspace keyspace, String username) {
        String normalised = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        return keyspace.keyPrefix() + "user:" + (normalised.length() > 400 ? normalised.substring(0, 400) : normalised);
    }

    private static String addressKey(Keyspace keyspace, String address) {
        return keyspace.keyPrefix() + "address:" + (address == null ? "unknown" : address);
    }

    /** The username as typed, quoted and cut short, so a crafted name cannot forge log fields or lines. */
    private static String quoted(String username) {
        String value = username == null ? "" : username;
        value = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return '"' + value.replaceAll("[\\p{Cntrl}\"\\\\]", "?") + '"';
    }

    private static String describe(long seconds) {
        return seconds < 90 ? seconds + " seconds" : ((seconds + 59) / 60) + " minutes";
    }
}
