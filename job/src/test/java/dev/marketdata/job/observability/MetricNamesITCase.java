package dev.marketdata.job.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.local.FreePorts;
import dev.marketdata.job.local.LocalRunner;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.ExpectedDataset;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.KafkaBrokerExtension;
import dev.marketdata.job.testing.KafkaTopics;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Samples;
import dev.marketdata.sources.provider.fake.FakePolygonServer;
import dev.marketdata.sources.provider.fake.FakePolygonStream;
import dev.marketdata.sources.provider.fake.FakeResponse;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard and the Prometheus alert rules query is one the job really exports: the names
 * come from the Prometheus endpoint of a real run ({@code bin/run-local}'s entry point in its own JVM) reading all
 * four data sets from a real Kafka broker, with records that pass, records that break a rule and values that are no
 * records, so that every lazily registered counter exists too. The provider metrics' names come from a second real
 * run, a {@code --source polygon} backfill against {@link FakePolygonServer} (the readers' bars requests and the
 * enumerator's ticker lookups). A panel or rule naming anything else fails here.
 */
class MetricNamesITCase {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    static final Path CONF = Path.of("..", "flink-conf");
    static final Path DASHBOARD = CONF.resolve("grafana/dashboards/market-data-store.json");
    static final Path ALERTS = CONF.resolve("alerts.yml");
    /** What every provider metric's name contains ({@code ProviderMetrics}' group under operator or coordinator). */
    static final String PROVIDER_INFIX = "_provider_";
    /** What every live stream metric's name contains ({@code LiveMetrics}' group under the provider's). */
    static final String LIVE_INFIX = "_provider_live_";

    private static final String AGGS =
            "/v2/aggs/ticker/%s/range/1/minute/1709269200000/1709355599999?adjusted=true" + "&sort=asc&limit=50000";

    @Test
    void everyNameADashboardPanelOrAlertQueriesIsExportedByARealRun(@TempDir Path dir) throws Exception {
        Map<String, Set<String>> queried = queriedNames();
        assertThat(queried)
                .as("queries that name no metric")
                .allSatisfy((where, names) -> assertThat(names).as(where).isNotEmpty());
        assertThat(queried.values().stream().mapToInt(Set::size).sum())
                .as("names found in the queries")
                .isGreaterThan(20);

        SchemaMigrator.migrate(DB.jdbc());
        KafkaTopics topics = new KafkaTopics(KAFKA, "metrics");
        SyntheticSpec spec = new SyntheticSpec(2, 6, 0, 4, 3, Instant.parse("2024-01-02T14:30:00Z"));
        for (Dataset<?> dataset : Dataset.ALL) {
            publish(topics, dataset, spec);
        }
        topics.sendMalformed(Dataset.BARS, "{\"symbol\":", "NOT_JSON", "ignored here");
        topics.sendMalformed(
                Dataset.OPTIONS,
                Samples.edit(Samples.OPTION_QUOTE, n -> n.remove("contract")),
                "MISSING_FIELD",
                "ignored here");

        int metricsPort = FreePorts.take();
        List<String> args = new ArrayList<>(List.of(
                "--source",
                "kafka",
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--kafka-starting-offsets",
                "earliest",
                "--kafka-group",
                topics.name("group"),
                "--datasets",
                "bars,options,fundamentals,news",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dir.resolve("dlq").toString(),
                "--checkpoint-dir",
                dir.resolve("cp").toString(),
                "--checkpoint-interval",
                "300ms",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(metricsPort)));
        args.addAll(topics.topicOptions());

        Set<String> wanted = new TreeSet<>();
        queried.values().forEach(wanted::addAll);
        Set<String> providerNames = new TreeSet<>(wanted);
        providerNames.removeIf(name -> !name.contains(PROVIDER_INFIX));
        wanted.removeAll(providerNames);
        Set<String> liveNames = new TreeSet<>(providerNames);
        liveNames.removeIf(name -> !name.contains(LIVE_INFIX));
        providerNames.removeAll(liveNames);
        assertThat(liveNames).as("live stream names queried").isNotEmpty();
        assertThat(providerNames).as("provider names queried").isNotEmpty();

        Set<String> exported = new TreeSet<>();
        try (JobProcess run = JobProcess.start(
                Path.of("target", "metric-names-it"),
                Map.of(),
                LocalRunner.class.getName(),
                args.toArray(String[]::new))) {
            exported.addAll(
                    awaitExported(run, metricsPort, wanted, () -> DB.count("bars") > 0 && DB.count("news") > 0));
        }
        exported.addAll(providerBackfillExports(dir, providerNames));
        exported.addAll(liveStreamExports(dir, liveNames));
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        queried.forEach((where, names) -> {
            Set<String> unknown = new TreeSet<>(names);
            unknown.removeAll(exported);
            if (!unknown.isEmpty()) {
                missing.put(where, unknown);
            }
        });
        assertThat(missing).as("queried names the job does not export").isEmpty();
    }

    /**
     * The names a {@code --source polygon} backfill exports while it runs against {@link FakePolygonServer}: one
     * ticker's page answers 200, one answers 500 once (a retry and a {@code 5xx} request), one ticker is unknown
     * ({@code 4xx}), and the last ticker's answer hangs so that the job is still running, with every provider metric
     * registered, when the test scrapes it.
     */
    private static Set<String> providerBackfillExports(Path dir, Set<String> wanted) throws Exception {
        DB.execute("TRUNCATE bars");
        try (FakePolygonServer polygon = new FakePolygonServer()) {
            Instant open = Instant.parse("2024-03-01T14:30:00Z");
            polygon.addMinuteBars("AAPL", open, 3);
            polygon.addMinuteBars("MSFT", open, 3);
            polygon.http()
                    .scriptOnce(
                            AGGS.formatted("MSFT"),
                            FakeResponse.json(500, "{\"status\":\"ERROR\",\"error\":\"oops\"}"));
            polygon.addMinuteBars("SLOW", open, 3);
            polygon.http().scriptOnce(AGGS.formatted("SLOW"), FakeResponse.hang());
            int metricsPort = FreePorts.take();
            String[] args = {
                "--source",
                "polygon",
                "--polygon-url",
                polygon.baseUrl(),
                "--tickers",
                "AAPL,MSFT,NOPE,SLOW",
                "--from",
                "2024-03-01",
                "--to",
                "2024-03-01",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dir.resolve("provider-dlq").toString(),
                "--checkpoint-dir",
                dir.resolve("provider-cp").toString(),
                "--checkpoint-interval",
                "300ms",
                "--provider.retry.initial-backoff",
                "10ms",
                "--provider.retry.max-backoff",
                "100ms",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(metricsPort)
            };
            try (JobProcess run = JobProcess.start(
                    Path.of("target", "metric-names-it"),
                    Map.of("POLYGON_API_KEY", FakePolygonServer.KEY),
                    LocalRunner.class.getName(),
                    args)) {
                // AAPL's and MSFT's bars are stored by then: every request has been answered but SLOW's.
                return awaitExported(run, metricsPort, wanted, () -> DB.count("bars") >= 6);
            }
        }
    }

    /**
     * The names a {@code --source polygon --live} run exports once its stream is subscribed and a bar stored (the
     * live metrics are registered when the reader opens; its REST requests' metrics with the first repair).
     */
    private static Set<String> liveStreamExports(Path dir, Set<String> wanted) throws Exception {
        DB.execute("TRUNCATE bars");
        try (FakePolygonServer polygon = new FakePolygonServer();
                FakePolygonStream stream = new FakePolygonStream()) {
            polygon.addBars("AAPL");
            int metricsPort = FreePorts.take();
            String[] args = {
                "--source",
                "polygon",
                "--live",
                "--polygon-url",
                polygon.baseUrl(),
                "--polygon-ws-url",
                stream.url(),
                "--tickers",
                "AAPL",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-dir",
                dir.resolve("live-dlq").toString(),
                "--checkpoint-dir",
                dir.resolve("live-cp").toString(),
                "--checkpoint-interval",
                "300ms",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(metricsPort)
            };
            try (JobProcess run = JobProcess.start(
                    Path.of("target", "metric-names-it"),
                    Map.of("POLYGON_API_KEY", FakePolygonServer.KEY),
                    LocalRunner.class.getName(),
                    args)) {
                Instant minute = Instant.now()
                        .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                        .minusSeconds(600);
                stream.awaitSubscribed(0, Duration.ofSeconds(90))
                        .send(FakePolygonStream.frame(FakePolygonStream.am("AAPL", minute, 0, 0)));
                return awaitExported(run, metricsPort, wanted, () -> DB.count("bars") >= 1);
            }
        }
    }

    private static <T> void publish(KafkaTopics topics, Dataset<T> dataset, SyntheticSpec spec) {
        topics.publish(dataset, ExpectedDataset.of(spec, dataset));
    }

    /**
     * Scrapes until every queried name is there, or until the job has committed rows and 20 s more have passed
     * (then the caller reports what is missing).
     */
    private static Set<String> awaitExported(JobProcess run, int port, Set<String> wanted, Settled settled)
            throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Long settledBy = null;
        Set<String> exported = Set.of();
        while (System.nanoTime() < deadline) {
            assertThat(run.isAlive()).as(run.output()).isTrue();
            try {
                exported = names(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
            } catch (java.io.IOException notUpYet) {
                // the reporter is not listening yet
            }
            if (exported.containsAll(wanted)) {
                return exported;
            }
            if (settledBy == null && settled.now()) {
                settledBy = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            }
            if (settledBy != null && System.nanoTime() > settledBy) {
                return exported;
            }
            Thread.sleep(500);
        }
        return exported;
    }

    /** Whether the run has done enough that every metric it will register exists. */
    @FunctionalInterface
    private interface Settled {
        boolean now() throws Exception;
    }

    /** Metric names in a Prometheus text exposition: each sample's name (summaries give name, _count, _sum). */
    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** Metric names per panel target, template variable and alert rule. */
    static Map<String, Set<String>> queriedNames() throws Exception {
        Map<String, Set<String>> queried = new LinkedHashMap<>();
        JsonNode dashboard = Json.MAPPER.readTree(Files.readString(DASHBOARD));
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queried.put(
                        "panel '" + panel.path("title").asText() + "' "
                                + target.path("refId").asText(),
                        PromQl.metricNames(target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            queried.put(
                    "variable $" + variable.path("name").asText(),
                    PromQl.metricNames(variable.path("definition").asText()));
        }
        JsonNode rules = new YAMLMapper().readTree(Files.readString(ALERTS));
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                queried.put(
                        "alert " + rule.path("alert").asText(),
                        PromQl.metricNames(rule.path("expr").asText()));
            }
        }
        return queried;
    }
}
