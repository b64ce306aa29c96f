package org.ltipublisher.legacy.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The {@code Authorization: OAuth …} header of RFC 5849 §3.5.1: parsed on launches, built for outcomes. */
public final class OAuthAuthorizationHeader {

    private static final String SCHEME = "OAuth ";

    private OAuthAuthorizationHeader() {
    }

    public static boolean isOAuth(String header) {
        return header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * The protocol parameters of the header, without {@code realm} (which §3.4.1.3.1 leaves out of the
     * signature). Values are percent-encoded in the header, so a comma always separates parameters.
     */
    public static List<OAuthParameter> parse(String header) {
        List<OAuthParameter> params = new ArrayList<>();
        for (String part : header.substring(SCHEME.length()).split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("'" + item + "' is not name=\"value\"");
            }
            String name = OAuthPercentEncoding.decode(item.substring(0, eq).trim());
            String quoted = item.substring(eq + 1).trim();
            if (quoted.length() < 2 || !quoted.startsWith("\"") || !quoted.endsWith("\"")) {
                throw new IllegalArgumentException("the value of " + name + " is not in double quotes");
            }
            if (!name.equalsIgnoreCase("realm")) {
                params.add(new OAuthParameter(name, OAuthPercentEncoding.decode(quoted.substring(1, quoted.length() - 1))));
            }
        }
        return params;
    }

    public static String format(List<OAuthParameter> params) {
        return SCHEME + params.stream()
                .map(p -> OAuthPercentEncoding.encode(p.name()) + "=\"" + OAuthPercentEncoding.encode(p.value()) + "\"")
                .collect(Collectors.joining(", "));
    }
}
