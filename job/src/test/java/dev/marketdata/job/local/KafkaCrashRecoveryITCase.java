package dev.marketdata.job.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.ExpectedDataset;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.KafkaBrokerExtension;
import dev.marketdata.job.testing.KafkaTopics;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Samples;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once from Kafka offsets to the database: {@code bin/run-local} reading all four topics (bounded) in a
 * JVM of its own is killed with {@code kill -9} mid-topic, then resumed with {@code --restore latest}; the tables
 * and the dead-letter queue must hold exactly what an uninterrupted run stores, each record's effect once, and no
 * prepared transaction may be left behind.
 */
class KafkaCrashRecoveryITCase {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Instant START = Instant.parse("2024-01-02T14:30:00Z");

    @Test
    void killedMidTopicAndResumedFromTheLatestCheckpointStoresEachRecordOnce(@TempDir Path dir) throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        KafkaTopics topics = new KafkaTopics(KAFKA, "crash");
        // About 27,000 records, every 97th spoiled: enough that the job is still reading when its first checkpoint
        // commits rows (a few hundred, in practice).
        SyntheticSpec market = new SyntheticSpec(100, 80, 0, 97, 5, START);
        List<Bar> bars = topics.publish(Dataset.BARS, ExpectedDataset.of(market, Dataset.BARS));
        List<OptionQuote> options = topics.publish(
                Dataset.OPTIONS, ExpectedDataset.of(new SyntheticSpec(25, 25, 0, 97, 5, START), Dataset.OPTIONS));
        List<Fundamentals> fundamentals = topics.publish(
                Dataset.FUNDAMENTALS,
                ExpectedDataset.of(new SyntheticSpec(100, 20, 0, 97, 5, START), Dataset.FUNDAMENTALS));
        List<NewsArticle> news = topics.publish(Dataset.NEWS, ExpectedDataset.of(market, Dataset.NEWS));
        topics.sendMalformed(
                Dataset.BARS,
                "{\"symbol\":",
                "NOT_JSON",
                "not JSON: Unexpected end-of-input within/between Object entries (line 1, column 11)");
        topics.sendMalformed(
                Dataset.OPTIONS,
                Samples.edit(Samples.OPTION_QUOTE, n -> n.remove("ts")),
                "MISSING_FIELD",
                "missing required field 'ts'");
        topics.sendMalformed(Dataset.NEWS, "42", "WRONG_TYPE", "the value must be a JSON object, got NUMBER");
        long total = bars.size() + options.size() + fundamentals.size() + news.size();

        Path work = Path.of("target", "kafka-crash-it");
        long rowsAtCrash;
        try (JobProcess first = JobProcess.start(work, Map.of(), LocalRunner.class.getName(), args(dir, topics))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (rows() == 0) {
                assertThat(first.isAlive()).as(first.output()).isTrue();
                assertThat(System.nanoTime()).as("no rows committed in time").isLessThan(deadline);
                Thread.sleep(20);
            }
            Thread.sleep(150); // let the next checkpoint's transactions be open or prepared when the crash comes
            first.killHard();
            rowsAtCrash = rows();
        }
        assertThat(rowsAtCrash)
                .as("rows committed at the crash, of %d: the crash came mid-topic", total)
                .isBetween(1L, total - 1);
        assertThat(RetainedCheckpoints.latest(dir.resolve("checkpoints"))).isPresent();

        try (JobProcess second = JobProcess.start(
                work, Map.of(), LocalRunner.class.getName(), args(dir, topics, "--restore", "latest"))) {
            assertThat(second.waitFor(180)).as(second.output()).isZero();
            assertThat(second.output()).contains("[run-local] Resuming from ");
        }

        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(bars);
        assertThat(Tables.optionQuotes(DB)).containsExactlyInAnyOrderElementsOf(options);
        assertThat(Tables.fundamentals(DB)).containsExactlyInAnyOrderElementsOf(fundamentals);
        assertThat(Tables.news(DB)).containsExactlyInAnyOrderElementsOf(news);
        assertThat(Tables.inProgressFiles(dir.resolve("dlq"))).isEmpty();
        for (Dataset<?> dataset : Dataset.ALL) {
            assertThat(Tables.deadLetters(dir.resolve("dlq").resolve(dataset.name())).stream()
                            .map(KafkaTopics::withoutTime))
                    .as(dataset.name())
                    .containsExactlyInAnyOrderElementsOf(topics.deadLetters(dataset));
        }
        assertThat(DB.preparedTransactions()).isEmpty();
    }

    private static long rows() throws Exception {
        return DB.count("bars") + DB.count("option_quotes") + DB.count("fundamentals") + DB.count("news");
    }

    private static String[] args(Path dir, KafkaTopics topics, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--source",
                "kafka",
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--kafka-bounded",
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
                dir.resolve("checkpoints").toString(),
                "--checkpoint-interval",
                "300ms",
                "--parallelism",
                "2",
                "--job-name",
                "kafka-crash-test",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())));
        args.addAll(topics.topicOptions());
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
