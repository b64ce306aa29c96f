package org.ltipublisher.admission;

import jakarta.ws.rs.core.NewCookie;

import org.ltipublisher.accounts.AccountSummary;

/**
 * How a message type other than a resource launch goes on once its user has linked an account (e.g. a deep
 * linking request's content selection). Found by CDI by message type, so admission names no message type.
 */
public interface AccountChoiceContinuation {

    String messageType();

    /** Inside the account choice's transaction; {@code sessionCookie} is set when the user just signed in. */
    LaunchOutcome proceed(String continuation, AccountSummary account, NewCookie sessionCookie);
}
