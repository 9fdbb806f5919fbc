package dev.marketdata.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * Pins every operator uid of the job (sink committers derive theirs from their sink's): a changed uid orphans its
 * state in every savepoint taken before, so a change here must be deliberate (and come with a migration note).
 */
class MarketDataPipelineUidsTest {

    private static Map<String, String> uidsToNames(String... args) {
        return uidsToNames(Map.of(), args);
    }

    private static Map<String, String> uidsToNames(Map<String, String> environment, String... args) {
        JobSettings settings = JobSettings.from(CommandLine.parse(args, MarketDataOptions.ALL), environment);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        MarketDataJob.wire(env, settings);
        StreamGraph graph = env.getStreamGraph();
        return StreamSupport.stream(graph.getStreamNodes().spliterator(), false)
                .collect(Collectors.toMap(StreamNode::getTransformationUID, StreamNode::getOperatorName));
    }

    @Test
    void theBarsJobKeepsTheUidsOfItsFirstRelease() {
        assertThat(uidsToNames("--jdbc-url", "jdbc:postgresql://db/md"))
                .containsOnlyKeys(
                        "bars-source",
                        "validate-bars",
                        "bars-postgres-sink",
                        "count-dead-letters",
                        "dead-letter-sink",
                        "Sink Committer: bars-postgres-sink",
                        "Sink Committer: dead-letter-sink");
    }

    @Test
    void atLeastOnceSinksHaveNoCommitter() {
        assertThat(uidsToNames("--jdbc-url", "jdbc:postgresql://db/md", "--delivery", "at-least-once"))
                .containsOnlyKeys(
                        "bars-source",
                        "validate-bars",
                        "bars-postgres-sink",
                        "count-dead-letters",
                        "dead-letter-sink",
                        "Sink Committer: dead-letter-sink");
    }

    @Test
    void everySyntheticDataSetHasUidsAfterItsName() {
        assertThat(uidsToNames("--jdbc-url", "jdbc:postgresql://db/md", "--datasets", "bars,options,fundamentals,news"))
                .containsOnlyKeys(
                        "bars-source",
                        "validate-bars",
                        "bars-postgres-sink",
                        "Sink Committer: bars-postgres-sink",
                        "options-source",
                        "validate-options",
                        "options-postgres-sink",
                        "Sink Committer: options-postgres-sink",
                        "fundamentals-source",
                        "validate-fundamentals",
                        "fundamentals-postgres-sink",
                        "Sink Committer: fundamentals-postgres-sink",
                        "news-source",
                        "validate-news",
                        "news-postgres-sink",
                        "Sink Committer: news-postgres-sink",
                        "count-dead-letters",
                        "dead-letter-sink",
                        "Sink Committer: dead-letter-sink")
                .containsEntry("validate-options", "Validate option quotes");
    }

    @Test
    void kafkaSourcesAndTheKafkaDeadLetterSinkHaveUidsOfTheirOwn() {
        assertThat(uidsToNames(
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--source",
                        "kafka",
                        "--kafka-bootstrap",
                        "k:9092",
                        "--datasets",
                        "bars,news",
                        "--dlq-kafka-topic",
                        "md.dlq"))
                .containsOnlyKeys(
                        "bars-kafka-source",
                        "parse-bars",
                        "validate-bars",
                        "bars-postgres-sink",
                        "Sink Committer: bars-postgres-sink",
                        "news-kafka-source",
                        "parse-news",
                        "validate-news",
                        "news-postgres-sink",
                        "Sink Committer: news-postgres-sink",
                        "count-dead-letters",
                        "dead-letter-kafka-sink",
                        "Sink Committer: dead-letter-kafka-sink")
                .containsEntry("parse-news", "Parse news");
    }

    @Test
    void providerSourcesHaveUidsOfTheirOwnPerDataSet() {
        assertThat(uidsToNames(
                        Map.of("POLYGON_API_KEY", "k"),
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--source",
                        "polygon",
                        "--tickers",
                        "AAPL",
                        "--from",
                        "2024-03-01",
                        "--to",
                        "2024-03-01",
                        "--datasets",
                        "bars,options,fundamentals,news"))
                .containsOnlyKeys(
                        "bars-provider-source",
                        "parse-bars-provider",
                        "validate-bars",
                        "bars-postgres-sink",
                        "Sink Committer: bars-postgres-sink",
                        "options-provider-source",
                        "parse-options-provider",
                        "validate-options",
                        "options-postgres-sink",
                        "Sink Committer: options-postgres-sink",
                        "fundamentals-provider-source",
                        "parse-fundamentals-provider",
                        "validate-fundamentals",
                        "fundamentals-postgres-sink",
                        "Sink Committer: fundamentals-postgres-sink",
                        "news-provider-source",
                        "parse-news-provider",
                        "validate-news",
                        "news-postgres-sink",
                        "Sink Committer: news-postgres-sink",
                        "count-dead-letters",
                        "dead-letter-sink",
                        "Sink Committer: dead-letter-sink")
                .containsEntry("news-provider-source", "Source: News from provider")
                .containsEntry("parse-news-provider", "Parse news from provider");
    }

    @Test
    void aLiveStreamHasASourceUidOfItsOwn() {
        assertThat(uidsToNames(
                        Map.of("POLYGON_API_KEY", "k"),
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--source",
                        "polygon",
                        "--live",
                        "--tickers",
                        "AAPL"))
                .containsOnlyKeys(
                        "bars-live-source",
                        "parse-bars-provider",
                        "validate-bars",
                        "bars-postgres-sink",
                        "Sink Committer: bars-postgres-sink",
                        "count-dead-letters",
                        "dead-letter-sink",
                        "Sink Committer: dead-letter-sink")
                .containsEntry("bars-live-source", "Source: Bars from provider stream");
    }
}
