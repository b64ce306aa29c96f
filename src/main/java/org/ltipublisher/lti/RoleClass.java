package org.ltipublisher.lti;

/** The two kinds of participant a published resource distinguishes (Moodle: teacher / student role). */
public enum RoleClass {
    LEARNER, INSTRUCTOR
}
