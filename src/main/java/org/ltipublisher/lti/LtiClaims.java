package org.ltipublisher.lti;

/** Claim names and message types of LTI 1.3 messages (LTI Core §5, AGS §3.1, NRPS §3.6.1, Deep Linking §4.4). */
public final class LtiClaims {

    private LtiClaims() {
    }

    public static final String PREFIX = "https://purl.imsglobal.org/spec/lti/claim/";
    public static final String MESSAGE_TYPE = PREFIX + "message_type";
    public static final String VERSION = PREFIX + "version";
    public static final String DEPLOYMENT_ID = PREFIX + "deployment_id";
    public static final String TARGET_LINK_URI = PREFIX + "target_link_uri";
    public static final String RESOURCE_LINK = PREFIX + "resource_link";
    public static final String ROLES = PREFIX + "roles";
    public static final String CONTEXT = PREFIX + "context";
    public static final String TOOL_PLATFORM = PREFIX + "tool_platform";
    public static final String LAUNCH_PRESENTATION = PREFIX + "launch_presentation";
    public static final String CUSTOM = PREFIX + "custom";
    public static final String LIS = PREFIX + "lis";
    public static final String LTI1P1 = PREFIX + "lti1p1";
    public static final String AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    public static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    public static final String DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";

    public static final String RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest";
    public static final String DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest";
    /** LTI AGS 2.0 §4.6 (Submission Review): a teacher opens a learner's submission from the gradebook. */
    public static final String SUBMISSION_REVIEW_REQUEST = "LtiSubmissionReviewRequest";
    /** The learner a submission review is about (Submission Review 1.0 §3.2.1). */
    public static final String FOR_USER = PREFIX + "for_user";
    public static final String LTI_VERSION = "1.3.0";
}
