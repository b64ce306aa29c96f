package org.ltipublisher.launch;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.admission.Admission;
import org.ltipublisher.admission.AdmissionRequest;
import org.ltipublisher.admission.LaunchNonce;
import org.ltipublisher.admission.LaunchOutcome;
import org.ltipublisher.legacy.Lti1p1Migration;
import org.ltipublisher.lti.AgsClaim;
import org.ltipublisher.lti.ContextClaim;
import org.ltipublisher.lti.LtiClaims;
import org.ltipublisher.lti.LtiRoles;
import org.ltipublisher.lti.RoleClass;
import org.ltipublisher.lti.ToolPaths;
import org.ltipublisher.registration.Deployment;
import org.ltipublisher.resources.LaunchPlacement;
import org.ltipublisher.resources.PublishedResource;
import org.ltipublisher.resources.PublishedResourceService;
import org.ltipublisher.upgrade.Lti11UpgradeService;
import org.ltipublisher.upgrade.MigratingLaunch;
import org.ltipublisher.web.Rejection;

/** LtiResourceLinkRequest (LTI Core §5.3): a user opens a published resource from the course. */
@ApplicationScoped
public class ResourceLinkHandler implements MessageHandler {

    private final PublishedResourceService resources;
    private final Lti1p1Migration lti1p1Migration;
    private final Lti11UpgradeService lti11Upgrades;
    private final Admission admission;

    public ResourceLinkHandler(PublishedResourceService resources, Lti1p1Migration lti1p1Migration,
            Lti11UpgradeService lti11Upgrades, Admission admission) {
        this.resources = resources;
        this.lti1p1Migration = lti1p1Migration;
        this.lti11Upgrades = lti11Upgrades;
        this.admission = admission;
    }

    @Override
    public String messageType() {
        return LtiClaims.RESOURCE_LINK_REQUEST;
    }

    @Override
    public String targetPath() {
        return ToolPaths.LAUNCH;
    }

    @Override
    public String label(String toolName) {
        return toolName;
    }

    @Override
    public boolean advertisedToEveryPlatform() {
        return true;
    }

    @Override
    public int advertisedOrder() {
        return 0;
    }

    @Override
    public Admittance accept(VerifiedIdToken token, LaunchContext context) {
        ResourceLinkRequest request = ResourceLinkRequest.of(token);
        PublishedResource resource = resolveResource(request, context.baseUrl());
        RoleClass roleClass = LtiRoles.classify(token.roles());
        return new Admittance() {
            @Override
            public LaunchOutcome admit(Deployment deployment) {
                // a platform moving from LTI 1.1 names the user's 1.1 identity: keep their account (migration guide)
                lti1p1Migration.carryOver(new Lti1p1Migration.MigrationClaim(request.lti1p1(), token.user(),
                        token.deploymentId(), token.issuer(), token.clientId(), token.expiresAt(), token.nonce()));
                // a 1.1 consumer linked to this registration (Moodle's update route, or an administrator's link):
                // its users keep their accounts, its contexts and links are shared
                lti11Upgrades.carryOver(migrating(request));
                return admission.admit(admissionRequest(deployment)).outcome();
            }

            @Override
            public Optional<LaunchOutcome> admitInOneStatement(Deployment deployment, LaunchNonce nonce) {
                // a carry-over from LTI 1.1 writes more than the one statement does: the transaction then
                if (request.lti1p1() != null || lti11Upgrades.linksConsumers(migrating(request))) {
                    return Optional.empty();
                }
                return admission.admitReturning(admissionRequest(deployment), nonce).map(Admission.Admitted::outcome);
            }

            private AdmissionRequest admissionRequest(Deployment deployment) {
                return new AdmissionRequest(token.user(), placement(request, deployment.id, resource.id), roleClass,
                        token.roles(), resource, AdmissionRequest.Provisioning.of(resource.provisioningFor(roleClass)),
                        null, context.cookies(), context.baseUrl());
            }
        };
    }

    /**
     * The published resource a launch is for: the {@code /lti/resources/{id}} path of target_link_uri,
     * else the custom parameter {@code id} (set by deep linking, as Moodle does).
     */
    private PublishedResource resolveResource(ResourceLinkRequest request, String baseUrl) {
        String prefix = baseUrl + ToolPaths.RESOURCE_LAUNCH_PREFIX;
        String target = request.token().targetLinkUri();
        String candidate = target.startsWith(prefix)
                ? target.substring(prefix.length()).split("[/?#]", 2)[0]
                : request.custom().get("id");
        if (candidate == null || candidate.isBlank()) {
            // an old LTI 1.1 activity launched over 1.3 after its tool was upgraded
            Optional<UUID> legacy = lti11Upgrades.legacyResourceId(migrating(request), baseUrl);
            if (legacy.isPresent()) {
                return resources.launchable(legacy.get());
            }
            throw Rejection.notFound("unknown_resource", "the launch names no published resource: target_link_uri '"
                    + target + "' is not a resource launch URL and there is no custom parameter id");
        }
        UUID id;
        try {
            id = UUID.fromString(candidate.trim());
        } catch (IllegalArgumentException e) {
            throw Rejection.notFound("unknown_resource", "'" + candidate + "' is not a published resource id");
        }
        return resources.launchable(id);
    }

    private static MigratingLaunch migrating(ResourceLinkRequest request) {
        VerifiedIdToken token = request.token();
        return new MigratingLaunch(token.issuer(), token.clientId(), token.deploymentId(), token.targetLinkUri(),
                token.user(), request.context() == null ? null : request.context().id(), request.resourceLink().id());
    }

    private static LaunchPlacement placement(ResourceLinkRequest request, UUID deploymentRowId, UUID resourceId) {
        ContextClaim c = request.context();
        AgsClaim ags = request.ags();
        return new LaunchPlacement(deploymentRowId, resourceId, request.resourceLink().id(),
                request.resourceLink().title(), c == null ? null : c.id(), c == null ? null : c.label(),
                c == null ? null : c.title(), c == null ? null : c.types(), request.membershipsUrl(),
                ags == null ? null : ags.lineItems(), ags == null ? null : ags.lineItem(),
                ags == null ? null : ags.scope());
    }
}
