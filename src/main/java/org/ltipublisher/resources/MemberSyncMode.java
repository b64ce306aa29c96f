package org.ltipublisher.resources;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Moodle's "Member sync mode" of a published tool: what member sync may change. */
public enum MemberSyncMode {
    /** "Enrol new and unenrol missing users": the roster is mirrored. */
    ENROL_AND_UNENROL("enrol-and-unenrol"),
    /** "Enrol new users": nobody is ever unenrolled by sync. */
    ENROL_NEW("enrol-new"),
    /** "Unenrol missing users": nobody is ever enrolled by sync. */
    UNENROL_MISSING("unenrol-missing");

    private final String wireName;

    MemberSyncMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean enrols() {
        return this != UNENROL_MISSING;
    }

    public boolean unenrols() {
        return this != ENROL_NEW;
    }

    public static Optional<MemberSyncMode> fromWire(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(m -> m.wireName.equals(v)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(MemberSyncMode::wireName).collect(Collectors.joining(", "));
    }
}
