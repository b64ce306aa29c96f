package org.ltipublisher.admission;

import java.time.Instant;

/**
 * An LTI 1.3 id_token's nonce on its way to being spent (Security Framework §5.1.3): {@link NonceStore} spends
 * it once, alone or inside a returning user's one statement, and marks it spent so the launch never spends it
 * twice. One per launch, used by the launch's thread only.
 */
public final class LaunchNonce {

    final String value;
    /** Kept while its id_token could still be accepted: after that its age refuses the replay anyway. */
    final Instant keepUntil;
    boolean spent;

    LaunchNonce(String value, Instant keepUntil) {
        this.value = value;
        this.keepUntil = keepUntil;
    }
}
