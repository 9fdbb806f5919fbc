package dev.marketdata.job.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.testing.FlinkSessionCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of {@code docker-compose.yml} without a Docker engine: it parses (merge keys resolved, as
 * Compose resolves them), it has every service the stack needs, every file it mounts exists in the repository,
 * every image is an official one pinned to a version, and the files it mounts are the very ones the cluster test
 * ({@link FlinkSessionCluster#CONFIG_DIR}), promtool and {@link MetricNamesITCase} check.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Publishers whose images are the project's own (Docker Official Images have no namespace). */
    private static final Set<String> OFFICIAL = Set.of("", "apache", "prom", "grafana", "timescale");

    private static final Pattern PINNED = Pattern.compile("[^:@]+:(?!latest)[^:]*\\d[^:]*");

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void hasTheWholeStack() {
        assertThat(services)
                .containsKeys("jobmanager", "taskmanager", "submit", "kafka", "postgres", "prometheus", "grafana");
        assertThat(services.get("jobmanager").get("command")).isEqualTo("jobmanager");
        assertThat(services.get("taskmanager").get("command")).isEqualTo("taskmanager");
        assertThat(services.get("taskmanager").get("deploy")).isEqualTo(Map.of("replicas", 2));
        assertThat(env(services.get("kafka")).get("KAFKA_PROCESS_ROLES"))
                .as("KRaft: no ZooKeeper")
                .isEqualTo("broker,controller");
        assertThat(String.valueOf(services.get("postgres").get("image"))).startsWith("timescale/timescaledb:");
        assertThat(String.valueOf(services.get("postgres").get("command"))).contains("max_prepared_transactions");

        Map<String, Object> submit = services.get("submit");
        assertThat(submit.get("restart")).as("one-shot").isEqualTo("no");
        assertThat(submit.get("command"))
                .asList()
                .startsWith("flink", "run")
                .contains("/opt/market-data/market-data-job.jar", "--jdbc-url");
        assertThat(volumes(submit)).containsKey("./job/target");
    }

    @Test
    void everyImageIsOfficialAndPinned() {
        services.forEach((name, service) -> {
            String image = String.valueOf(service.get("image"));
            assertThat(image).as(name).matches(PINNED);
            String repository = image.substring(0, image.indexOf(':'));
            String publisher = repository.contains("/") ? repository.substring(0, repository.indexOf('/')) : "";
            assertThat(publisher).as(name + ": " + image).isIn(OFFICIAL);
        });
        assertThat(String.valueOf(services.get("jobmanager").get("image"))).isEqualTo("flink:2.2.1-java17");
    }

    @Test
    void everyMountedFileExistsAndIsTheOneTheTestsCheck() throws Exception {
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            for (String source : volumes(service.getValue()).keySet()) {
                if (source.startsWith(".")) {
                    Path file = ROOT.resolve(source).normalize();
                    // job/target exists after `mvn package`, which the compose file's header asks for first.
                    if (!source.equals("./job/target")) {
                        assertThat(file)
                                .as(service.getKey() + " mounts " + source)
                                .exists();
                    }
                }
            }
        }
        assertThat(mountedAt("jobmanager", "/opt/market-data-conf/config.yaml"))
                .isEqualTo(FlinkSessionCluster.CONFIG_DIR.resolve("config.yaml"));
        assertThat(mountedAt("taskmanager", "/opt/market-data-conf/config.yaml"))
                .isEqualTo(FlinkSessionCluster.CONFIG_DIR.resolve("config.yaml"));
        assertThat(mountedAt("prometheus", "/etc/prometheus/prometheus.yml"))
                .isEqualTo(ROOT.resolve("flink-conf/prometheus.yml"));
        assertThat(mountedAt("prometheus", "/etc/prometheus/alerts.yml"))
                .isEqualTo(MetricNamesITCase.ALERTS.toAbsolutePath().normalize());
        Path dashboards = mountedAt("grafana", "/var/lib/grafana/dashboards");
        assertThat(MetricNamesITCase.DASHBOARD.toAbsolutePath().normalize()).hasParent(dashboards);

        // Prometheus loads the rules from where they are mounted, and scrapes the services by their names.
        String prometheus = Files.readString(ROOT.resolve("flink-conf/prometheus.yml"));
        assertThat(prometheus).contains("- alerts.yml", "jobmanager:9249", "names: [\"taskmanager\"]");
        // Grafana's provisioning names the mounted dashboards directory and the uid the panels use.
        Path provisioning = mountedAt("grafana", "/etc/grafana/provisioning/dashboards");
        assertThat(Files.readString(provisioning.resolve("market-data-store.yml")))
                .contains("path: /var/lib/grafana/dashboards");
        Path datasources = mountedAt("grafana", "/etc/grafana/provisioning/datasources");
        assertThat(Files.readString(datasources.resolve("prometheus.yml")))
                .contains("uid: prometheus", "url: http://prometheus:9090");
        JsonNode dashboard = Json.MAPPER.readTree(Files.readString(MetricNamesITCase.DASHBOARD));
        List<String> uids = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(
                        target -> uids.add(target.path("datasource").path("uid").asText())));
        assertThat(uids).isNotEmpty().containsOnly("prometheus");
    }

    private Path mountedAt(String service, String target) {
        return volumes(services.get(service)).entrySet().stream()
                .filter(e -> e.getValue().equals(target))
                .map(e -> ROOT.resolve(e.getKey()).normalize())
                .findFirst()
                .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + target));
    }

    /** Bind mounts: host path to container path. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> volumes(Map<String, Object> service) {
        Map<String, String> mounts = new HashMap<>();
        for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
            String[] parts = String.valueOf(volume).split(":");
            mounts.put(parts[0], parts[1]);
        }
        return mounts;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Map<String, Object> service) {
        return (Map<String, Object>) service.get("environment");
    }
}
