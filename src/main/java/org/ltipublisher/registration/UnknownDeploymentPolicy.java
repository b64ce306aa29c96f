package org.ltipublisher.registration;

/** What a launch from a deployment id the registration does not list does. */
public enum UnknownDeploymentPolicy {
    /** Refused until an administrator adds the deployment (Moodle's behaviour; the default). */
    REFUSE,
    /** Added on first launch (Canvas creates one deployment per course install). */
    ADD
}
