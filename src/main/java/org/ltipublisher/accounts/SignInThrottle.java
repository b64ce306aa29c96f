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

import io.quarkus.scheduler.Scheduled;

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
        String user = userKey(username);
        refuseWhileThrottled(user, clientAddress, username);
        AccountService.Authentication result = accounts.authenticate(username, password);
        if (result.account().isPresent()) {
            sql.update("delete from sign_in_failure where throttle_key = ?", user);
            return result.account();
        }
        fail(user, clientAddress, username, result.failure().name().toLowerCase(Locale.ROOT));
        return Optional.empty();
    }

    /** The signed-in account's password asked again before a launch is linked to it; throttled like a sign-in. */
    public boolean reauthenticate(AccountSummary account, String password, String clientAddress) {
        String user = userKey(account.username());
        refuseWhileThrottled(user, clientAddress, account.username());
        if (accounts.passwordMatches(account.id(), password)) {
            return true;
        }
        fail(user, clientAddress, account.username(), "wrong_password_on_reauthentication");
        return false;
    }

    private void refuseWhileThrottled(String user, String address, String username) {
        Instant now = clock.instant();
        Duration window = config.accounts().signInWindow();
        Optional<Instant> until = sql.queryOne("""
                select max(window_started_at) as window_started_at from sign_in_failure
                where window_started_at > ?
                  and ((throttle_key = ? and failures >= ?) or (throttle_key = ? and failures >= ?))
                """, row -> row.getObject("window_started_at", java.time.OffsetDateTime.class), now.minus(window),
                user, config.accounts().signInMaxFailuresPerUser(),
                addressKey(address), config.accounts().signInMaxFailuresPerAddress())
                .map(started -> started.toInstant().plus(window));
        if (until.isPresent()) {
            long seconds = Math.max(1, Duration.between(now, until.get()).toSeconds() + 1);
            LOG.infof("sign-in refused username=%s address=%s reason=throttled retryAfter=%ds", quoted(username),
                    address, seconds);
            throw new Rejection(429, "sign_in_throttled", "too many failed sign-ins for this account or from "
                    + "this network; try again in " + describe(seconds))
                    .withRetryAfter(Duration.ofSeconds(seconds));
        }
    }

    private void fail(String user, String address, String username, String reason) {
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
                """, user, now, addressKey(address), now, expired, expired);
        LOG.infof("sign-in refused username=%s address=%s reason=%s", quoted(username), address, reason);
    }

    /** Counts whose window has run out limit nobody; deleting them keeps the table small. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        sql.update("delete from sign_in_failure where window_started_at < ?",
                clock.instant().minus(config.accounts().signInWindow()));
    }

    private static String userKey(String username) {
        String normalised = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        return "user:" + (normalised.length() > 400 ? normalised.substring(0, 400) : normalised);
    }

    private static String addressKey(String address) {
        return "address:" + (address == null ? "unknown" : address);
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
