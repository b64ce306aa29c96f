package org.ltipublisher.keys;

/**
 * What an HMAC-signed tool token is for. Each purpose has its own secret, so a token minted for one
 * purpose (say the OIDC state) can never be replayed as another (say a hand-off token).
 */
public enum TokenPurpose {
    /** OIDC login state (login → launch). */
    STATE,
    /** Launch token handed to the content. */
    HAND_OFF,
    /** A valid launch waiting for the user to choose or sign in to an account. */
    PENDING_LINK,
    /** Local sign-in session cookie. */
    SESSION,
    /** A deep linking request between the platform's launch and the teacher's selection (Deep Linking 2.0 §4). */
    DEEP_LINKING
}
