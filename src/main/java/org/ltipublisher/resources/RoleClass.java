package org.ltipublisher.resources;

/** The two kinds of participant a published resource distinguishes (Moodle: teacher / student role). */
public enum RoleClass {
    LEARNER, INSTRUCTOR
}
