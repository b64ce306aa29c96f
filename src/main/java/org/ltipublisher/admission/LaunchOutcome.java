package org.ltipublisher.admission;

import java.net.URI;

import jakarta.ws.rs.core.NewCookie;

import io.quarkus.qute.TemplateInstance;

/**
 * What a valid launch leads to, whatever its message type: the launch endpoint renders these four and no
 * more, so a new message type needs no new branch there ({@link Page} carries its own template).
 */
public sealed interface LaunchOutcome {

    /** The tag launch metrics count this outcome under. */
    String metricTag();

    /** Straight into the content; {@code sessionCookie} is set when the user just signed in. */
    record Redirect(URI location, NewCookie sessionCookie) implements LaunchOutcome {
        @Override
        public String metricTag() {
            return "launched";
        }
    }

    /**
     * A page the message's handler renders itself (content selection, submission review);
     * {@code sessionCookie} is set when the user just signed in; {@code metricTag} names the page.
     */
    record Page(TemplateInstance page, NewCookie sessionCookie, String metricTag) implements LaunchOutcome {
    }

    /**
     * The launch arrived without the state cookie, and the login stored its secret in the platform's
     * storage: a page reads it back ({@code lti.get_data}) and posts the launch again with the proof.
     */
    record ReadPlatformStorage(String target, String origin, String key, String idToken, String state)
            implements LaunchOutcome {
        @Override
        public String metricTag() {
            return "platform_storage";
        }
    }

    /**
     * The user must link an account first. {@code existingOnly}: only signing in to an account with the
     * launch's e-mail is offered; otherwise creating a new account is offered too. {@code bindingCookie}
     * (a Set-Cookie value) binds the pending launch to this browser; null when the browser has it already.
     */
    record ChooseAccount(String pendingToken, boolean existingOnly, String launchName, String launchEmail,
            String signedInAs, String error, String username, boolean forContentSelection, String bindingCookie)
            implements LaunchOutcome {
        @Override
        public String metricTag() {
            return "account_choice";
        }
    }
}
