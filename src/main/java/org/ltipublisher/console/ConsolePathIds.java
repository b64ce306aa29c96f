package org.ltipublisher.console;

import java.util.UUID;

import org.ltipublisher.web.Rejection;

/**
 * The id in a console page's path (a registration, resource, consumer, account): a UUID, or a 404 that names what
 * was looked for and where to pick one, quoting at most 40 characters of what came (it comes from the address bar).
 */
final class ConsolePathIds {

    private ConsolePathIds() {
    }

    static UUID parse(String id, String code, String what, String whereToPick) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Rejection.notFound(code, "no " + what + " has the id '"
                    + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'; " + whereToPick);
        }
    }
}
