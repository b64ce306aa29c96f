package org.ltipublisher.legacy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.LtiConfig;
import org.ltipublisher.lti.LtiRoles;
import org.ltipublisher.legacy.ConsumerService.ConsumerCredentials;
import org.ltipublisher.legacy.oauth.OAuthParameter;
import org.ltipublisher.legacy.oauth.OAuthSignature;
import org.ltipublisher.web.Rejection;

/**
 * Checks an LTI 1.1 launch: the OAuth 1.0a request first (RFC 5849 §3.2: protocol parameters,
 * consumer, timestamp window, HMAC-SHA1 signature), then the consumer's instance GUID, then the
 * LTI parameters (LTI 1.1 Implementation Guide §4, basic launch). Only refusals after the signature verified may send the browser
 * back to launch_presentation_return_url. Nothing here writes to the database.
 */
@ApplicationScoped
public class Lti11LaunchValidator {

    static final String BASIC_LAUNCH = "basic-lti-launch-request";
    static final Set<String> LTI_VERSIONS = Set.of("LTI-1p0", "LTI-1p2");
    private static final List<String> REQUIRED_OAUTH = List.of("oauth_consumer_key", "oauth_signature_method",
            "oauth_timestamp", "oauth_nonce", "oauth_signature");
    /** Parameters this tool reads: each must appear at most once, else the launch is ambiguous. */
    private static final Set<String> SINGLE_VALUED = Set.of("lti_message_type", "lti_version", "resource_link_id",
            "resource_link_title", "user_id", "roles", "lis_person_contact_email_primary", "lis_person_name_given",
            "lis_person_name_family", "lis_person_name_full", "context_id", "context_type", "context_label",
            "context_title", "lis_outcome_service_url", "lis_result_sourcedid", "launch_presentation_return_url",
            "tool_consumer_instance_guid");

    private final ConsumerService consumers;
    private final LtiConfig config;
    private final Clock clock;

    public Lti11LaunchValidator(ConsumerService consumers, LtiConfig config, Clock clock) {
        this.consumers = consumers;
        this.config = config;
        this.clock = clock;
    }

    /** The launch as received: method, the URL the client saw, and every query, body and header parameter. */
    public record Lti11Request(String method, String url, List<OAuthParameter> params) {
    }

    public Lti11Launch validate(Lti11Request request) {
        Map<String, String> values = singleValues(request.params());
        for (String name : REQUIRED_OAUTH) {
            if (values.get(name) == null || values.get(name).isEmpty()) {
                throw Rejection.badRequest("missing_parameter", "A required parameter (" + name + ") was missing");
            }
        }
        if (!OAuthSignature.HMAC_SHA1.equals(values.get("oauth_signature_method"))) {
            throw Rejection.badRequest("unsupported_signature_method", "oauth_signature_method is '"
                    + values.get("oauth_signature_method") + "'; LTI 1.1 launches are signed with HMAC-SHA1");
        }
        if (values.containsKey("oauth_version") && !"1.0".equals(values.get("oauth_version"))) {
            throw Rejection.badRequest("unsupported_oauth_version",
                    "oauth_version is '" + values.get("oauth_version") + "'; only 1.0 is defined");
        }
        String key = values.get("oauth_consumer_key");
        ConsumerCredentials consumer = consumers.findByKey(key).orElseThrow(() -> Rejection.unauthorized(
                "unknown_consumer_key", "unknown consumer key '" + key + "': check the key in the LMS's tool "
                        + "settings, or create a consumer for this LMS in LTI Publisher"));
        long timestamp = checkTimestamp(values.get("oauth_timestamp"));
        String baseString = OAuthSignature.baseString(request.method(), request.url(), request.params());
        if (!OAuthSignature.matches(values.get("oauth_signature"), baseString, consumer.secret())) {
            throw Rejection.unauthorized("signature_invalid", "signature does not match: check the consumer secret "
                    + "of '" + consumer.name() + "' in the LMS, and that the LMS launches exactly "
                    + OAuthSignature.baseStringUri(request.url()));
        }
        String guid = values.get("tool_consumer_instance_guid");
        if (consumer.instanceGuid() != null && !consumer.instanceGuid().equals(guid)) {
            throw Rejection.forbidden("consumer_instance_mismatch", "the consumer key '" + key + "' belongs to the "
                    + "LMS instance '" + consumer.instanceGuid() + "', but this launch comes from "
                    + (guid == null ? "an LMS that names no instance (tool_consumer_instance_guid)" : "'" + guid + "'")
                    + ": each LMS needs its own consumer key");
        }
        String returnUrl = blankToNull(values.get("launch_presentation_return_url"));
        try {
            return ltiParameters(values, consumer, timestamp, guid, returnUrl);
        } catch (Rejection rejection) {
            throw returnUrl == null ? rejection : new Lti11Rejection(rejection, returnUrl);
        }
    }

    /**
     * Values by name. A protocol parameter sent twice (say once in the body and once in the header) is
     * refused (RFC 5849 §3.2), and so is a twice-sent parameter this tool reads; other parameters
     * (custom_*, ext_*) may repeat, and the signature covers every copy.
     */
    private static Map<String, String> singleValues(List<OAuthParameter> params) {
        Map<String, String> values = new HashMap<>();
        for (OAuthParameter p : params) {
            boolean single = p.name().startsWith("oauth_") || SINGLE_VALUED.contains(p.name());
            if (values.containsKey(p.name()) && single) {
                throw Rejection.badRequest("duplicate_parameter", "the parameter " + p.name()
                        + " appears more than once in the launch (query, body or Authorization header)");
            }
            values.putIfAbsent(p.name(), p.value());
        }
        return values;
    }

    private long checkTimestamp(String value) {
        long timestamp;
        try {
            timestamp = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw Rejection.badRequest("invalid_timestamp", "oauth_timestamp '" + value + "' is not a number of seconds");
        }
        long now = clock.millis() / 1000;
        long window = config.legacy().timestampWindow().toSeconds();
        if (now - timestamp > window) {
            throw Rejection.unauthorized("timestamp_expired", "timestamp is " + (now - timestamp) + " s old; at most "
                    + window + " s is accepted: launch again from the LMS, and check the LMS server's clock");
        }
        if (timestamp - now > window) {
            throw Rejection.unauthorized("timestamp_in_future", "timestamp is " + (timestamp - now)
                    + " s in the future; at most " + window + " s is accepted: check the LMS server's clock");
        }
        return timestamp;
    }

    private static Lti11Launch ltiParameters(Map<String, String> v, ConsumerCredentials consumer, long timestamp,
            String guid, String returnUrl) {
        String messageType = v.get("lti_message_type");
        if (messageType == null) {
            throw Rejection.badRequest("missing_parameter", "A required parameter (lti_message_type) was missing");
        }
        if (!BASIC_LAUNCH.equals(messageType)) {
            throw Rejection.badRequest("unsupported_message_type", "lti_message_type '" + messageType
                    + "' is not supported; this tool accepts " + BASIC_LAUNCH);
        }
        String version = v.get("lti_version");
        if (version == null) {
            throw Rejection.badRequest("missing_parameter", "A required parameter (lti_version) was missing");
        }
        if (!LTI_VERSIONS.contains(version)) {
            throw Rejection.badRequest("unsupported_lti_version",
                    "lti_version '" + version + "' is not supported; this tool accepts LTI-1p0 (and LTI-1p2)");
        }
        String resourceLinkId = required(v, "resource_link_id");
        String userId = required(v, "user_id");
        for (String[] limited : new String[][] { { "resource_link_id", resourceLinkId }, { "user_id", userId },
                { "context_id", v.get("context_id") } }) {
            if (limited[1] != null && limited[1].length() > 255) {
                throw Rejection.badRequest("invalid_parameter", limited[0] + " is longer than 255 characters");
            }
        }
        String outcomeUrl = blankToNull(v.get("lis_outcome_service_url"));
        String sourcedId = blankToNull(v.get("lis_result_sourcedid"));
        String contextType = blankToNull(v.get("context_type"));
        return new Lti11Launch(consumer, v.get("oauth_nonce"), timestamp, blankToNull(guid), resourceLinkId,
                blankToNull(v.get("resource_link_title")),
                Lti11Identity.of(consumer.id(), userId, blankToNull(v.get("lis_person_contact_email_primary")),
                        blankToNull(v.get("lis_person_name_given")), blankToNull(v.get("lis_person_name_family")),
                        blankToNull(v.get("lis_person_name_full"))),
                LtiRoles.fromLti11(v.get("roles")), blankToNull(v.get("context_id")),
                blankToNull(v.get("context_label")), blankToNull(v.get("context_title")),
                contextType == null ? List.of() : new ArrayList<>(Arrays.asList(contextType.split("\\s*,\\s*"))),
                outcomeUrl, sourcedId, returnUrl);
    }

    private static String required(Map<String, String> v, String name) {
        String value = blankToNull(v.get(name));
        if (value == null) {
            throw Rejection.badRequest("missing_parameter", "A required parameter (" + name + ") was missing");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
