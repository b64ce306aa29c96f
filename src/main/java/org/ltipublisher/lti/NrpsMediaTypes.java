package org.ltipublisher.lti;

/** Names and Role Provisioning Services 2.0: media type (NRPS §2.2) and scope (NRPS §3.6.1). */
public final class NrpsMediaTypes {

    public static final String MEMBERSHIP_CONTAINER = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
    public static final String SCOPE_MEMBERSHIP_READ =
            "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

    private NrpsMediaTypes() {
    }
}
