package org.ltipublisher.admission;

import java.util.List;
import java.util.function.Function;

import org.ltipublisher.accounts.PlatformIdentity;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.resources.Placement;
import org.ltipublisher.resources.PublishedResource;

/**
 * A launch that passed its protocol's checks (LTI 1.3 id_token, LTI 1.1 OAuth), in terms both share: who
 * (platform identity), where (placement), as what (role class and roles), into what (published resource), and
 * how a user without an account gets one (provisioning). {@code placement} and {@code resource} are null when
 * the message enters no resource and {@code continuation} says what follows instead (e.g. content selection).
 */
public record AdmissionRequest(PlatformIdentity user, Placement placement, RoleClass roleClass, List<String> roles,
        PublishedResource resource, Provisioning provisioning, Continuation continuation,
        Function<String, String> cookies, String baseUrl) {

    /** What the launch's message type does once the user has an account, instead of entering a resource. */
    public record Continuation(String messageType, String token) {
    }

    /**
     * How a platform user without a linked account gets one. {@code linkByEmail}: first link to the
     * account with the launch's e-mail (LTI 1.1 auto-link-email); {@code emailRequiredReason}: what an
     * existing-only launch without an e-mail address is refused with.
     */
    public record Provisioning(ProvisioningMode mode, boolean linkByEmail, String emailRequiredReason) {

        static final String EMAIL_REQUIRED = "only existing accounts are admitted here, matched by e-mail, and the "
                + "platform did not share this user's e-mail address";

        public static Provisioning of(ProvisioningMode mode) {
            return new Provisioning(mode, false, EMAIL_REQUIRED);
        }

        boolean createsAccounts() {
            return mode == ProvisioningMode.AUTO || mode == ProvisioningMode.ANONYMOUS;
        }

        boolean existingOnly() {
            return mode == ProvisioningMode.EXISTING_ONLY;
        }
    }

    String joinedRoles() {
        return String.join(" ", roles);
    }
}
