package org.ltipublisher.console;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.accounts.SignInThrottle;

/**
 * Console sign-in, throttled by {@link SignInThrottle} like the tool's sign-ins: failures counted per username
 * and per client address (keys prefixed {@code console-}), with the same limits and window; a throttled key is
 * refused before bcrypt runs.
 */
@ApplicationScoped
public class ConsoleSignIns {

    /** Console administrators' failures, counted apart from the tool's accounts (keys prefixed console-). */
    static final SignInThrottle.Keyspace ADMINISTRATORS = new SignInThrottle.Keyspace("console-", "administrator",
            "console sign-in");

    private final ConsoleAdminStore admins;
    private final SignInThrottle throttle;

    public ConsoleSignIns(ConsoleAdminStore admins, SignInThrottle throttle) {
        this.admins = admins;
        this.throttle = throttle;
    }

    public Optional<ConsoleAdmin> signIn(String username, String password, String address) {
        throttle.refuseWhileThrottled(ADMINISTRATORS, username, address);
        Optional<ConsoleAdmin> admin = admins.authenticate(username, password);
        if (admin.isPresent()) {
            throttle.clearFailures(ADMINISTRATORS, username);
            return admin;
        }
        throttle.recordFailure(ADMINISTRATORS, username, address, "unknown_user_or_wrong_password");
        return Optional.empty();
    }
}
