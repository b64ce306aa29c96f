package org.ltipublisher.sync;

/** The two scheduled syncs a published resource can have. */
public enum SyncKind {
    /** Re-send grades that changed since their last successful send (Moodle's grade sync). */
    GRADES,
    /** Read the platform roster, provision, enrol and unenrol (Moodle's member sync, NRPS). */
    MEMBERS
}
