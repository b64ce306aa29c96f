package org.ltipublisher.provenance;

import java.sql.ResultSet;
import java.sql.SQLException;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Which platform or consumer a row (enrolment, score) came through: an LTI 1.3 registration and deployment
 * ({@code kind = "lti13"}), or an LTI 1.1 consumer key ({@code kind = "lti11"}). A context or link an upgraded
 * consumer shares with its 1.3 deployment is {@code lti13} and names the consumer too.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlatformSource(String kind, String issuer, String clientId, String deploymentId,
        String registrationName, String consumerKey, String consumerName) {

    public static final String LTI13 = "lti13";
    public static final String LTI11 = "lti11";

    /** How the page names it: the registration (issuer, deployment) or the consumer key. */
    public String label() {
        if (LTI13.equals(kind)) {
            return "LTI 1.3 " + (registrationName == null ? issuer : registrationName) + " (" + issuer
                    + ", deployment " + deploymentId + ")";
        }
        return "LTI 1.1 " + (consumerName == null ? consumerKey : consumerName) + " (consumer key " + consumerKey + ")";
    }

    /** The row's registration and consumer columns, as {@link PlatformSources} selects them; null when neither. */
    static PlatformSource of(ResultSet row) throws SQLException {
        String issuer = row.getString("issuer");
        String consumerKey = row.getString("consumer_key");
        if (issuer == null && consumerKey == null) {
            return null;
        }
        return new PlatformSource(issuer != null ? LTI13 : LTI11, issuer, row.getString("client_id"),
                row.getString("deployment_id"), row.getString("registration_name"), consumerKey,
                row.getString("consumer_name"));
    }
}
