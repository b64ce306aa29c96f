package org.ltipublisher.launch;

import java.net.URI;

import jakarta.ws.rs.core.NewCookie;

/** What a valid launch leads to. */
public sealed interface LaunchOutcome {

    /** Straight into the content; {@code sessionCookie} is set when the user just signed in. */
    record Redirect(URI location, NewCookie sessionCookie) implements LaunchOutcome {
    }

    /**
     * A deep linking request from a linked account: show the content selection (Deep Linking 2.0 §4);
     * {@code sessionCookie} is set when the user just signed in.
     */
    record SelectContent(String selectionToken, NewCookie sessionCookie) implements LaunchOutcome {
    }

    /**
     * The launch arrived without the state cookie, and the login stored its secret in the platform's
     * storage: a page reads it back ({@code lti.get_data}) and posts the launch again with the proof.
     */
    record ReadPlatformStorage(String target, String origin, String key, String idToken, String state)
            implements LaunchOutcome {
    }

    /**
     * The user must link an account first. {@code existingOnly}: only signing in to an account with the
     * launch's e-mail is offered; otherwise creating a new account is offered too. {@code bindingCookie}
     * (a Set-Cookie value) binds the pending launch to this browser; null when the browser has it already.
     */
    record ChooseAccount(String pendingToken, boolean existingOnly, String launchName, String launchEmail,
            String signedInAs, String error, String username, boolean forContentSelection, String bindingCookie)
            implements LaunchOutcome {
    }
}
