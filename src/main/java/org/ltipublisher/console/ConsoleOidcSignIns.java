package org.ltipublisher.console;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.ltipublisher.web.Rejection;

/**
 * Console sign-in with the school's identity provider: after quarkus-oidc has completed the authorization-code flow
 * and verified the ID token (OpenID Connect Core 1.0 §3.1.3.7), the person becomes a console administrator only if
 * the configured claim holds one of the configured values; the console then opens its own session for them.
 */
@ApplicationScoped
public class ConsoleOidcSignIns {

    private static final Logger LOG = Logger.getLogger(ConsoleOidcSignIns.class);

    private final ConsoleAdminStore admins;
    private final ConsoleConfig config;

    public ConsoleOidcSignIns(ConsoleAdminStore admins, ConsoleConfig config) {
        this.admins = admins;
        this.config = config;
    }

    /** The provider's name for the sign-in button, when sign-in with it is configured. */
    public Optional<String> providerName() {
        return config.oidc().enabled() ? Optional.of(config.oidc().providerName()) : Optional.empty();
    }

    /** 404 unless an identity provider is configured: the sign-in path exists only then. */
    public void requireConfigured() {
        if (!config.oidc().enabled()) {
            throw Rejection.notFound("oidc_not_configured", "sign-in with an identity provider is not configured; "
                    + "sign in with a console administrator's username and password at /console/signin, or set "
                    + "lti.console.oidc.* (see docs/console.md)");
        }
    }

    /** The administrator this verified ID token names; 403 when its admin claim lacks every admin value. */
    public ConsoleAdmin admin(JsonWebToken idToken) {
        requireConfigured();
        String named = firstPresent(idToken, "preferred_username", "email").orElse(idToken.getSubject());
        String username = named.length() > 200 ? named.substring(0, 200) : named; // the column's width
        String claim = config.oidc().adminClaim();
        List<String> held = claimValues(idToken, claim);
        if (held.stream().noneMatch(config.oidc().adminValue()::contains)) {
            LOG.infof("console OIDC sign-in refused reason=not_console_admin iss=%s sub=%s claim=%s",
                    idToken.getIssuer(), idToken.getSubject(), claim);
            throw Rejection.forbidden("not_console_admin", config.oidc().providerName() + " signed you in as "
                    + username + ", but its '" + claim + "' claim does not contain "
                    + String.join(" or ", config.oidc().adminValue().stream().map(v -> "'" + v + "'").toList())
                    + ". Ask the people who run " + config.oidc().providerName() + " to add you to that group or "
                    + "role, then sign in again.");
        }
        return admins.identityProviderAdmin(idToken.getIssuer(), idToken.getSubject(), username);
    }

    private static Optional<String> firstPresent(JsonWebToken token, String... claims) {
        for (String claim : claims) {
            List<String> values = claimValues(token, claim);
            if (!values.isEmpty() && !values.get(0).isBlank()) {
                return Optional.of(values.get(0));
            }
        }
        return Optional.empty();
    }

    /** The strings at a claim path: a string claim gives one, an array its strings, a dot walks into an object. */
    static List<String> claimValues(JsonWebToken token, String path) {
        String[] steps = path.split("\\.");
        Object value = token.getClaim(steps[0]);
        for (int i = 1; i < steps.length && value != null; i++) {
            value = member(value, steps[i]);
        }
        List<String> strings = new ArrayList<>();
        collect(value, strings);
        return strings;
    }

    private static Object member(Object value, String name) {
        if (value instanceof JsonObject object) {
            return object.get(name);
        }
        if (value instanceof Map<?, ?> map) {
            return map.get(name);
        }
        return null;
    }

    private static void collect(Object value, List<String> into) {
        if (value instanceof JsonString string) {
            into.add(string.getString());
        } else if (value instanceof JsonArray array) {
            array.forEach(element -> collect(element, into));
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(element -> collect(element, into));
        } else if (value instanceof String string) {
            into.add(string);
        } else if (value instanceof JsonValue || value instanceof Number || value instanceof Boolean) {
            into.add(value.toString());
        }
    }
}
