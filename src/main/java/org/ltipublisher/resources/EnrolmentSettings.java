package org.ltipublisher.resources;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.IllformedLocaleException;
import java.util.Locale;

import org.ltipublisher.resources.ResourceDtos.ResourceRequest;
import org.ltipublisher.web.Rejection;

/**
 * Checks and applies the enrolment rules and account defaults of a resource request. Everything is checked
 * before anything is assigned, so a refused request (422) leaves the resource as it was.
 */
final class EnrolmentSettings {

    /** The longest enrolment period accepted: far beyond any course, and safe in timestamp arithmetic. */
    static final Duration MAX_PERIOD = Duration.ofDays(3660);

    private EnrolmentSettings() {
    }

    static void apply(PublishedResource resource, ResourceRequest request) {
        Instant starts = instant("enrolmentStartsAt", request.enrolmentStartsAt());
        Instant ends = instant("enrolmentEndsAt", request.enrolmentEndsAt());
        if (starts != null && ends != null && !ends.isAfter(starts)) {
            throw Rejection.unprocessable("invalid_enrolment_window", "enrolmentEndsAt (" + ends
                    + ") must be after enrolmentStartsAt (" + starts + ")");
        }
        Long period = period(request.enrolmentPeriod());
        int max = request.maxEnrolled() == null ? 0 : request.maxEnrolled();
        if (max < 0) {
            throw Rejection.unprocessable("invalid_max_enrolled",
                    "maxEnrolled must be 0 (unlimited) or a positive number of learners, not " + max);
        }
        MemberSyncMode mode = request.memberSyncMode() == null || request.memberSyncMode().isBlank()
                ? MemberSyncMode.ENROL_AND_UNENROL
                : MemberSyncMode.fromWire(request.memberSyncMode()).orElseThrow(() -> Rejection.unprocessable(
                        "invalid_member_sync_mode", "memberSyncMode '" + request.memberSyncMode()
                                + "' is not one of " + MemberSyncMode.allowed()));
        String language = language(request.defaultLanguage());
        String timezone = timezone(request.defaultTimezone());
        String institution = blankToNull(request.defaultInstitution());
        if (institution != null && institution.length() > 255) {
            throw Rejection.unprocessable("invalid_institution", "defaultInstitution is longer than 255 characters");
        }
        resource.enrolStartsAt = starts;
        resource.enrolEndsAt = ends;
        resource.enrolPeriodSeconds = period;
        resource.maxEnrolled = max;
        resource.memberSyncMode = mode;
        resource.defaultLanguage = language;
        resource.defaultTimezone = timezone;
        resource.defaultInstitution = institution;
    }

    private static Instant instant(String field, String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw Rejection.unprocessable("invalid_date", field + " '" + value
                    + "' is not an ISO-8601 date-time with offset, e.g. 2026-09-01T08:00:00Z");
        }
    }

    private static Long period(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        Duration period;
        try {
            period = Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw Rejection.unprocessable("invalid_enrolment_period", "enrolmentPeriod '" + value
                    + "' is not an ISO-8601 duration, e.g. P30D (30 days) or PT12H");
        }
        if (period.isNegative() || period.isZero() || period.compareTo(MAX_PERIOD) > 0) {
            throw Rejection.unprocessable("invalid_enrolment_period", "enrolmentPeriod must be positive and at most "
                    + MAX_PERIOD.toDays() + " days (leave it out for enrolments without end), not " + value);
        }
        return period.getSeconds();
    }

    private static String language(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            // BCP 47 (RFC 5646), as Moodle's user language; stored in its canonical form
            String tag = new Locale.Builder().setLanguageTag(v).build().toLanguageTag();
            if (tag.length() <= 35 && !"und".equals(tag)) {
                return tag;
            }
        } catch (IllformedLocaleException e) {
            // fall through to the rejection
        }
        throw Rejection.unprocessable("invalid_language", "defaultLanguage '" + value
                + "' is not a BCP 47 language tag, e.g. en, fr-CA");
    }

    private static String timezone(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return ZoneId.of(v).getId();
        } catch (DateTimeException e) {
            throw Rejection.unprocessable("invalid_timezone", "defaultTimezone '" + value
                    + "' is not a known time zone id, e.g. Europe/Paris or UTC");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
