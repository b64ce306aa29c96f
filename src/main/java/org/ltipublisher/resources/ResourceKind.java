package org.ltipublisher.resources;

/** What is published: grades of units and above are aggregated, a single problem's are sent at once. */
public enum ResourceKind {
    COURSE, SECTION, UNIT, ACTIVITY, PROBLEM
}
