package org.ltipublisher.deeplinking;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import org.ltipublisher.accounts.AccountSummary;
import org.ltipublisher.accounts.ProvisioningMode;
import org.ltipublisher.admission.AccountChoiceContinuation;
import org.ltipublisher.admission.Admission;
import org.ltipublisher.admission.AdmissionRequest;
import org.ltipublisher.admission.LaunchOutcome;
import org.ltipublisher.launch.MessageHandler;
import org.ltipublisher.launch.VerifiedIdToken;
import org.ltipublisher.lti.LtiClaims;
import org.ltipublisher.lti.LtiRoles;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.lti.ToolPaths;
import org.ltipublisher.web.Rejection;

/**
 * LtiDeepLinkingRequest (Deep Linking 2.0 §4.4): teachers only; the request must be answerable before
 * anything is written. Content selection needs an existing account (as in Moodle's tool side): a platform
 * user without one signs in to an existing account, as in existing-only provisioning.
 */
@ApplicationScoped
public class DeepLinkingHandler implements MessageHandler, AccountChoiceContinuation {

    private final ContentSelection contentSelection;
    private final Admission admission;

    public DeepLinkingHandler(ContentSelection contentSelection, Admission admission) {
        this.contentSelection = contentSelection;
        this.admission = admission;
    }

    @Override
    public String messageType() {
        return LtiClaims.DEEP_LINKING_REQUEST;
    }

    @Override
    public String targetPath() {
        return ToolPaths.DEEP_LINKING;
    }

    @Override
    public String label(String toolName) {
        return "Add " + toolName + " content";
    }

    @Override
    public int advertisedOrder() {
        return 1;
    }

    @Override
    public Admittance accept(VerifiedIdToken token, LaunchContext context) {
        DeepLinkingRequest request = DeepLinkingRequest.of(token);
        if (LtiRoles.classify(token.roles()) != RoleClass.INSTRUCTOR) {
            throw Rejection.forbidden("deep_linking_not_allowed", "only teachers and course designers can add "
                    + "content from this tool; the platform sent the roles " + token.roles());
        }
        String selection = contentSelection.begin(request, context.registrationId());
        return deployment -> admission.admit(new AdmissionRequest(token.user(), null, RoleClass.INSTRUCTOR,
                token.roles(), null, AdmissionRequest.Provisioning.of(ProvisioningMode.EXISTING_ONLY),
                new AdmissionRequest.Continuation(messageType(), selection), context.cookies(), context.baseUrl()))
                .outcome();
    }

    /** The selection, now for the account the platform user is linked to. */
    @Override
    public LaunchOutcome proceed(String selection, AccountSummary account, NewCookie sessionCookie) {
        String bound = contentSelection.bind(selection, account.id());
        return new LaunchOutcome.Page(DeepLinkingResource.Templates.select(contentSelection.page(bound)),
                sessionCookie, "content_selection");
    }
}
