package org.ltipublisher.web;

import java.util.regex.Pattern;

/**
 * Takes secrets out of paths and URLs before they are logged: the one-time registration URL's token
 * ({@code /lti/register/{token}}, which lets whoever holds it register a platform), the console's one-time setup
 * token ({@code /console/setup/{token}}, which sets the first administrator's password) and the values of
 * parameters that carry a credential (launch tokens, login state, id_tokens, registration tokens).
 * Log lines keep the shape of the request, so an administrator still sees what was asked.
 */
public final class LogRedaction {

    static final String REDACTED = "[redacted]";

    private static final Pattern REGISTRATION_TOKEN_IN_PATH = Pattern.compile("(/lti/register/|/console/setup/)[^/?#]+");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)((?:^|[?&;])(?:launch_token|state|id_token|registration_token|pending|selection|"
                    + "access_token|client_assertion|password)=)[^&#;]*");

    private LogRedaction() {
    }

    /** A path or URL, with query, as it may be logged. */
    public static String url(String pathOrUrl) {
        if (pathOrUrl == null) {
            return null;
        }
        String path = REGISTRATION_TOKEN_IN_PATH.matcher(pathOrUrl).replaceAll("$1" + REDACTED);
        return SECRET_PARAMETER.matcher(path).replaceAll("$1" + REDACTED);
    }
}
