package org.ltipublisher.launch;

import java.security.Key;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwx.JsonWebStructure;
import org.ltipublisher.keys.SigningKey;
import org.ltipublisher.keys.TokenPurpose;
import org.ltipublisher.keys.ToolKeyService;
import org.ltipublisher.keys.ToolTokens;
import org.ltipublisher.lti.ToolPaths;
import org.ltipublisher.registration.RegistrationService;

import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;

/**
 * Readiness waits for one pass over what the first launch after a start would otherwise pay for: class loading
 * and initialisation, the interpreter's first runs, opening pooled connections. It writes nothing: a JWS signed
 * with the tool's own key and verified with its published key as an id_token is (Security Framework §5.1.3), the
 * tool's HMAC tokens signed and read, the launch's registration and deployment lookups of ids that do not exist,
 * and a GET of the tool's JWKS through the HTTP stack. No nonce, no row, no request counted as a launch.
 * A failing step is logged and the pod becomes ready anyway: the datasource check says whether it can serve.
 */
@Readiness
@ApplicationScoped
public class LaunchWarmUp implements HealthCheck {

    static final String NAME = "launch warm-up";
    private static final Logger LOG = Logger.getLogger(LaunchWarmUp.class);
    /** One for a launch, one for a second arriving meanwhile; the pool opens more as load needs them. */
    private static final int CONNECTIONS = 2;

    private final ToolKeyService keys;
    private final ToolTokens tokens;
    private final RegistrationService registrations;
    private final DataSource dataSource;
    private final Vertx vertx;
    private volatile boolean warm;

    public LaunchWarmUp(ToolKeyService keys, ToolTokens tokens, RegistrationService registrations,
            DataSource dataSource, Vertx vertx) {
        this.keys = keys;
        this.tokens = tokens;
        this.registrations = registrations;
        this.dataSource = dataSource;
        this.vertx = vertx;
    }

    /** After every start-up observer (keys and secrets are loaded) and once the port is open, on a worker thread. */
    void onServerStart(@ObservesAsync HttpServerStart start) {
        warmUp(start.options().getPort());
    }

    /** Runs the launch's paths once; {@code port} ≤ 0 skips the HTTP request. */
    void warmUp(int port) {
        long started = System.nanoTime();
        try {
            connections();
            idTokenSignature();
            toolTokens();
            lookups();
            if (port > 0) {
                request(port);
            }
        } catch (Exception e) {
            LOG.warnf(e, "launch warm-up failed (%s); ready anyway, the first launches pay for what it skipped",
                    e.getMessage());
        } finally {
            warm = true;
            LOG.infof("launch warm-up done in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(warm).build();
    }

    private void connections() throws SQLException {
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                Connection connection = dataSource.getConnection();
                open.add(connection);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("select 1");
                }
            }
        } finally {
            for (Connection connection : open) {
                connection.close();
            }
        }
    }

    /** RS256 as a platform signs an id_token, verified by {@link IdTokenValidator}'s own signature step. */
    private void idTokenSignature() throws Exception {
        SigningKey signing = keys.signingKey();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("warm-up");
        claims.setAudience("warm-up");
        claims.setGeneratedJwtId();
        claims.setIssuedAtToNow();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(signing.kid());
        jws.setKey(signing.privateKey());
        jws.setPayload(claims.toJson());
        String compact = jws.getCompactSerialization();

        Key published = new JsonWebKeySet(keys.jwksJson()).findJsonWebKey(signing.kid(), null, null, null).getKey();
        JsonWebSignature read = (JsonWebSignature) JsonWebStructure.fromCompactSerialization(compact);
        if (IdTokenValidator.signedClaims(read, published).isEmpty()) {
            throw new IllegalStateException("the tool's own signature did not verify with its published key");
        }
    }

    /** The login state and hand-off tokens' HMAC (HS256). */
    private void toolTokens() throws Exception {
        for (TokenPurpose purpose : List.of(TokenPurpose.STATE, TokenPurpose.HAND_OFF)) {
            JwtClaims claims = new JwtClaims();
            claims.setSubject("warm-up");
            tokens.verify(purpose, tokens.sign(purpose, claims, Duration.ofMinutes(1)));
        }
    }

    /** The launch's lookups (Hibernate ORM's first queries); unknown ids, so nothing is found and nothing written. */
    private void lookups() {
        UUID none = UUID.randomUUID();
        registrations.find(none);
        registrations.findDeployment(none, "warm-up");
    }

    /** The HTTP server, RESTEasy's routing and response writing: the public key set, which every platform may read. */
    private void request(int port) throws Exception {
        HttpClient client = vertx.createHttpClient();
        try {
            int status = client.request(HttpMethod.GET, port, "localhost", ToolPaths.JWKS)
                    .compose(request -> request.send())
                    .compose(response -> response.body().map(body -> response.statusCode()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (status != 200) {
                throw new IllegalStateException("GET " + ToolPaths.JWKS + " answered " + status);
            }
        } finally {
            client.close();
        }
    }
}
