package org.ltipublisher.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.web.Rejection;

/**
 * Console sign-in, throttled as accounts.SignInThrottle throttles tool sign-ins: failures counted per username
 * and per client address in the shared sign_in_failure table (keys prefixed {@code console-}), with the same
 * limits and window; a throttled key is refused before bcrypt runs.
 */
@ApplicationScoped
public class ConsoleSignIns {

    private static final Logger LOG = Logger.getLogger(ConsoleSignIns.class);

    private final ConsoleAdminStore admins;
    private final JdbcTemplate sql;
    private final LtiConfig config;
    private final Clock clock;

    public ConsoleSignIns(ConsoleAdminStore admins, JdbcTemplate sql, LtiConfig config, Clock clock) {
        this.admins = admins;
        this.sql = sql;
        this.config = config;
        this.clock = clock;
    }

    public Optional<ConsoleAdmin> signIn(String username, String password, String address) {
        String user = "console-user:" + normalised(username);
        String from = "console-address:" + address;
        Instant now = clock.instant();
        Duration window = config.accounts().signInWindow();
        Optional<Instant> until = sql.queryOne("""
                select max(window_started_at) as window_started_at from sign_in_failure
                where window_started_at > ?
                  and ((throttle_key = ? and failures >= ?) or (throttle_key = ? and failures >= ?))
                """, row -> row.getObject("window_started_at", OffsetDateTime.class), now.minus(window),
                user, config.accounts().signInMaxFailuresPerUser(),
                from, config.accounts().signInMaxFailuresPerAddress())
                .map(started -> started.toInstant().plus(window));
        if (until.isPresent()) {
            long seconds = Math.max(1, Duration.between(now, until.get()).toSeconds() + 1);
            LOG.infof("console sign-in refused address=%s reason=throttled retryAfter=%ds", address, seconds);
            throw new Rejection(429, "sign_in_throttled", "too many failed sign-ins for this administrator or "
                    + "from this network; try again in " + seconds + " seconds")
                    .withRetryAfter(Duration.ofSeconds(seconds));
        }
        Optional<ConsoleAdmin> admin = admins.authenticate(username, password);
        if (admin.isPresent()) {
            sql.update("delete from sign_in_failure where throttle_key = ?", user);
            return admin;
        }
        Instant expired = now.minus(window);
        sql.update("""
                insert into sign_in_failure (throttle_key, failures, window_started_at) values (?, 1, ?), (?, 1, ?)
                on conflict (throttle_key) do update set
                    failures = case when sign_in_failure.window_started_at <= ? then 1
                        else sign_in_failure.failures + 1 end,
                    window_started_at = case when sign_in_failure.window_started_at <= ? then excluded.window_started_at
                        else sign_in_failure.window_started_at end
                """, user, now, from, now, expired, expired);
        LOG.infof("console sign-in refused address=%s reason=unknown_user_or_wrong_password", address);
        return Optional.empty();
    }

    private static String normalised(String username) {
        String value = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        return value.length() > 400 ? value.substring(0, 400) : value;
    }
}
