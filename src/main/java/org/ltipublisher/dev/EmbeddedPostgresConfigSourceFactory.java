package org.ltipublisher.dev;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * In dev mode without a configured datasource, starts an embedded PostgreSQL (zonky) and points the
 * datasource at it, so {@code ./mvnw quarkus:dev} needs nothing installed. Never active in other
 * profiles. The launcher's class name comes from dev-profile configuration rather than a constant, so
 * neither the packaged jar (which does not contain zonky) nor native-image analysis ever reaches it.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String LAUNCHER_PROPERTY = "embedded-postgresql.launcher";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")) {
            return List.of();
        }
        ConfigValue url = context.getValue("quarkus.datasource.jdbc.url");
        if (url != null && url.getValue() != null && !url.getValue().isBlank()) {
            return List.of();
        }
        ConfigValue launcher = context.getValue(LAUNCHER_PROPERTY);
        if (launcher == null || launcher.getValue() == null) {
            return List.of();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, String> properties = (Map<String, String>) Class.forName(launcher.getValue())
                    .getMethod("start").invoke(null);
            return List.of(new PropertiesConfigSource(properties, "embedded-postgresql", 275));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("dev mode could not start the embedded PostgreSQL; set "
                    + "QUARKUS_DATASOURCE_JDBC_URL to use a running server instead", e);
        }
    }
}
