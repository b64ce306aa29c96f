package org.ltipublisher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Validates k8s/ without a cluster: every manifest parses and is a well-formed object, every file a
 * kustomization names exists, and the Deployment has what operations rely on (two replicas, probes on
 * the SmallRye Health endpoints, limits, non-root, read-only root filesystem, config from ConfigMap
 * and Secret).
 */
class KubernetesManifestsTest {

    static final Path K8S = Path.of("k8s");
    static final Map<String, JsonNode> byKind = new HashMap<>();
    static final List<JsonNode> all = new ArrayList<>();

    @BeforeAll
    static void parseEverything() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        if (doc == null || doc.isEmpty()) {
                            continue;
                        }
                        assertTrue(doc.hasNonNull("apiVersion"), file + " has no apiVersion");
                        assertTrue(doc.hasNonNull("kind"), file + " has no kind");
                        if (!doc.get("kind").asText().equals("Kustomization")) {
                            assertTrue(doc.path("metadata").hasNonNull("name"), file + " has no metadata.name");
                        }
                        all.add(doc);
                        // the base manifests are the reference; overlays hold partial patches
                        if (file.startsWith(K8S.resolve("base")) || !byKind.containsKey(doc.get("kind").asText())) {
                            byKind.put(doc.get("kind").asText(), doc);
                        }
                        if (doc.get("kind").asText().equals("Kustomization")) {
                            for (JsonNode resource : doc.path("resources")) {
                                assertTrue(Files.exists(file.getParent().resolve(resource.asText())),
                                        file + " names a missing resource " + resource.asText());
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyPieceOperationsNeedIsThere() {
        for (String kind : List.of("Deployment", "Service", "Ingress", "HorizontalPodAutoscaler",
                "PodDisruptionBudget", "NetworkPolicy", "ConfigMap", "Kustomization", "Cluster")) {
            assertNotNull(byKind.get(kind), "k8s/ has no " + kind);
        }
    }

    @Test
    void deploymentIsReplicatedProbedLimitedAndLockedDown() {
        JsonNode deployment = byKind.get("Deployment");
        assertTrue(deployment.path("spec").path("replicas").asInt() >= 2, "at least two replicas");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        JsonNode container = pod.path("containers").get(0);
        assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertFalse(container.path("resources").path("limits").path("memory").isMissingNode());
        assertFalse(container.path("resources").path("requests").path("cpu").isMissingNode());
        assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        assertFalse(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true));
        List<String> envFrom = new ArrayList<>();
        container.path("envFrom").forEach(e -> envFrom.add(e.fieldNames().next()));
        assertTrue(envFrom.contains("configMapRef") && envFrom.contains("secretRef"), envFrom.toString());
    }

    @Test
    void ingressTerminatesTlsAndAutoscalerKeepsTwoPods() {
        assertFalse(byKind.get("Ingress").path("spec").path("tls").isEmpty(), "ingress has TLS");
        assertTrue(byKind.get("HorizontalPodAutoscaler").path("spec").path("minReplicas").asInt() >= 2);
        JsonNode config = byKind.get("ConfigMap").path("data");
        assertTrue(config.has("LTI_PUBLIC_URL"), "public URL configured");
        assertTrue(config.has("QUARKUS_DATASOURCE_JDBC_URL"), "external PostgreSQL configured");
    }

    /** The pods reach PostgreSQL through CloudNativePG's Pooler in transaction mode, with what that needs. */
    @Test
    void podsGoThroughATransactionPoolerWithoutServerSidePreparedStatements() {
        JsonNode pooler = byKind.get("Pooler");
        assertNotNull(pooler, "k8s/ has no CloudNativePG Pooler");
        assertEquals("transaction", pooler.path("spec").path("pgbouncer").path("poolMode").asText());
        assertEquals(byKind.get("Cluster").path("metadata").path("name").asText(),
                pooler.path("spec").path("cluster").path("name").asText());
        JsonNode config = byKind.get("ConfigMap").path("data");
        String poolerHost = "//" + pooler.path("metadata").path("name").asText() + ":";
        assertTrue(config.path("QUARKUS_DATASOURCE_JDBC_URL").asText().contains(poolerHost),
                "the JDBC URL names the Pooler's Service");
        assertEquals("0", config.path("LTI_DB_PREPARE_THRESHOLD").asText(), "no named prepared statements");
        boolean egressToPooler = false;
        for (JsonNode rule : byKind.get("NetworkPolicy").path("spec").path("egress")) {
            for (JsonNode peer : rule.path("to")) {
                egressToPooler |= pooler.path("metadata").path("name").asText()
                        .equals(peer.path("podSelector").path("matchLabels").path("cnpg.io/poolerName").asText());
            }
        }
        assertTrue(egressToPooler, "the NetworkPolicy lets the pods reach the Pooler");
    }
}
