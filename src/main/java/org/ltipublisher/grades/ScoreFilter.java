package org.ltipublisher.grades;

import java.util.Locale;
import java.util.UUID;

import org.ltipublisher.web.Rejection;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Which scores an administrator looks at: an outbox status ({@code retrying} is a pending score the platform
 * refused for now, with its reason kept), the platform (registration id), the published resource, and the
 * learner (platform user id, i.e. the LTI sub, or account id). Every part is optional; values arrive as the
 * query's text and are checked here, each refusal naming the value and what to give instead.
 */
@RegisterForReflection
public record ScoreFilter(ScoreStatus status, boolean retrying, UUID registrationId, UUID resourceId, String user,
        int page) {

    /** Highest page: 1000 pages of 100 scores reach back 100 000 scores; older ones are found by a narrower filter. */
    public static final int MAX_PAGE = 1000;
    /** Longest platform user id looked for: LTI 1.3 sub is at most 255 characters (OIDC Core §2). */
    static final int MAX_USER = 255;
    private static final int MAX_QUOTED = 40;

    public static ScoreFilter of(String status, String platform, String resource, String user, String page) {
        String wanted = blankToNull(status);
        boolean retrying = "retrying".equalsIgnoreCase(wanted);
        ScoreStatus parsed = null;
        if (retrying) {
            parsed = ScoreStatus.PENDING;
        } else if (wanted != null && !"all".equalsIgnoreCase(wanted)) {
            try {
                parsed = ScoreStatus.valueOf(wanted.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Rejection.badRequest("invalid_status", "status must be one of pending, retrying, sent, failed, "
                        + "superseded (or left out for all); not " + quoted(wanted));
            }
        }
        String who = blankToNull(user);
        if (who != null && who.length() > MAX_USER) {
            throw Rejection.badRequest("invalid_user", "user must be a platform user id (LTI sub, at most " + MAX_USER
                    + " characters) or an account id; not " + quoted(who));
        }
        return new ScoreFilter(parsed, retrying, uuid("platform", platform, "a registration id"),
                uuid("resource", resource, "a published resource id"), who, page(page));
    }

    /** Everything, first page. */
    public static ScoreFilter all() {
        return new ScoreFilter(null, false, null, null, null, 1);
    }

    /** The same filter on another page. */
    public ScoreFilter onPage(int other) {
        return new ScoreFilter(status, retrying, registrationId, resourceId, user, other);
    }

    /** The status as the query names it: {@code retrying}, a status in lower case, or null for all. */
    public String statusName() {
        return retrying ? "retrying" : status == null ? null : status.name().toLowerCase(Locale.ROOT);
    }

    /** The user filter read as an account id, when it is one. */
    UUID userAsAccount() {
        if (user == null) {
            return null;
        }
        try {
            return UUID.fromString(user);
        } catch (IllegalArgumentException notAnAccountId) {
            return null;
        }
    }

    private static UUID uuid(String field, String value, String what) {
        String given = blankToNull(value);
        if (given == null) {
            return null;
        }
        try {
            return UUID.fromString(given);
        } catch (IllegalArgumentException e) {
            throw Rejection.badRequest("invalid_" + field, field + " must be " + what + " (a UUID), or left out; not "
                    + quoted(given));
        }
    }

    private static int page(String value) {
        String given = blankToNull(value);
        if (given == null) {
            return 1;
        }
        try {
            int page = Integer.parseInt(given);
            if (page >= 1 && page <= MAX_PAGE) {
                return page;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Rejection.badRequest("invalid_page", "page must be a whole number from 1 to " + MAX_PAGE
                + "; not " + quoted(given) + ". Narrow the filter to reach older scores.");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String quoted(String value) {
        return "'" + (value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "…" : value) + "'";
    }
}
