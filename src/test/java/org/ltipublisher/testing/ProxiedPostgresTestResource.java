package org.ltipublisher.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The suite's PostgreSQL behind a {@link DatabaseProxy}, for tests of a database outage: the service's JDBC
 * URL points at the proxy, and the proxy is injected into the test's {@code DatabaseProxy} field. Starts after
 * the global database resource, so its URL is the one the service uses.
 */
public class ProxiedPostgresTestResource extends PostgresTestResource {

    private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

    private DatabaseProxy proxy;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        String url = config.get("quarkus.datasource.jdbc.url");
        Matcher hostPort = HOST_PORT.matcher(url);
        if (!hostPort.find()) {
            throw new IllegalStateException("cannot proxy the JDBC URL " + url);
        }
        proxy = new DatabaseProxy(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
        config.put("quarkus.datasource.jdbc.url", hostPort.replaceFirst("//127.0.0.1:" + proxy.port() + "/"));
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        super.inject(testInjector);
        testInjector.injectIntoFields(proxy, new TestInjector.MatchesType(DatabaseProxy.class));
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        super.stop();
    }
}
