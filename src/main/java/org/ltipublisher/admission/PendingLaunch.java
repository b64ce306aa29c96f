package org.ltipublisher.admission;

import java.util.UUID;

import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.lti.RoleClass;

/**
 * A valid launch by a platform user with no linked account, waiting while the user links or creates
 * one (prompt / existing-only modes). Carried in a signed token, so any replica can finish it.
 * What follows the account choice is either entering a resource ({@code resourceId}, link, context) or,
 * for another message type, that type's {@link AccountChoiceContinuation} ({@code messageType} and its opaque
 * {@code continuation}, e.g. a deep linking request's unbound selection token; resource and link are then null).
 * {@code browserBinding} is the SHA-256 of the random cookie set in the browser the account choice page was
 * shown in: only that browser can finish the launch.
 */
public record PendingLaunch(PlatformIdentity user, ProvisioningMode mode, UUID resourceId, UUID contextRowId,
        UUID resourceLinkRowId, RoleClass roleClass, String roles, String messageType, String continuation,
        String browserBinding) {

    /** Whether a message handler, not the resource hand-off, finishes this launch. */
    public boolean continues() {
        return continuation != null;
    }

    public PendingLaunch boundTo(String binding) {
        return new PendingLaunch(user, mode, resourceId, contextRowId, resourceLinkRowId, roleClass, roles,
                messageType, continuation, binding);
    }
}
