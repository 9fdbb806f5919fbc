package dev.marketdata.job.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.testing.ExpectedDataset;
import dev.marketdata.job.testing.KafkaBrokerExtension;
import dev.marketdata.job.testing.KafkaTopics;
import dev.marketdata.job.testing.PipelineTestCluster;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Samples;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job reading all four data sets from a real Kafka broker (KRaft, in this JVM) into a real PostgreSQL, on a
 * MiniCluster at parallelism 2, bounded: a known mix of valid records, duplicates, corrections, records that
 * break a rule and values that are no records at all, and exactly the expected rows and dead letters.
 */
class KafkaIngestITCase {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final PipelineTestCluster CLUSTER = PipelineTestCluster.onSharedServer();

    static final PostgresTestDatabase DB = CLUSTER.database();

    @BeforeEach
    void emptyDatabase() throws Exception {
        CLUSTER.freshSchema();
    }

    @Test
    void storesExactlyTheValidRecordsOfFourTopicsAndDeadLettersEverythingElse(@TempDir Path dlq) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "all");
        // The synthetic market, spoiled every 5th record, as the "providers" publish it.
        SyntheticSpec spec = new SyntheticSpec(5, 12, 0, 5, 3, Instant.parse("2024-01-02T14:30:00Z"));
        ExpectedDataset<Bar> bars = ExpectedDataset.of(spec, Dataset.BARS);
        ExpectedDataset<OptionQuote> options =
                ExpectedDataset.of(new SyntheticSpec(2, 3, 0, 5, 3, spec.start()), Dataset.OPTIONS);
        ExpectedDataset<Fundamentals> fundamentals = ExpectedDataset.of(spec, Dataset.FUNDAMENTALS);
        ExpectedDataset<NewsArticle> news = ExpectedDataset.of(spec, Dataset.NEWS);
        List<Bar> barRows = topics.publish(Dataset.BARS, bars);
        List<OptionQuote> optionRows = topics.publish(Dataset.OPTIONS, options);
        List<Fundamentals> fundamentalsRows = topics.publish(Dataset.FUNDAMENTALS, fundamentals);
        List<NewsArticle> newsRows = topics.publish(Dataset.NEWS, news);

        // A replayed bar changes nothing; a corrected one (same key, later in the same partition) wins.
        Bar first = bars.valid().get(0);
        topics.sendRecord(Dataset.BARS, first);
        Bar corrected = new Bar(
                first.symbol(),
                first.timeframe(),
                first.ts(),
                first.open(),
                first.high() + 1,
                first.low(),
                first.close(),
                first.volume() + 1,
                null,
                null,
                "polygon");
        topics.sendRecord(Dataset.BARS, corrected);
        barRows.set(0, corrected);

        // Values that are no records: each goes to the dead-letter queue with its bytes and coordinates.
        topics.sendMalformed(
                Dataset.BARS,
                "{\"symbol\":\"AAPL\",",
                "NOT_JSON",
                "not JSON: Unexpected end-of-input within/between Object entries (line 1, column 18)");
        topics.sendMalformed(
                Dataset.BARS,
                Samples.edit(Samples.BAR, n -> n.remove("close")),
                "MISSING_FIELD",
                "missing required field 'close'");
        topics.sendMalformed(
                Dataset.BARS,
                Samples.edit(Samples.BAR, n -> n.put("volume", "lots")),
                "WRONG_TYPE",
                "field 'volume' must be a number, got STRING");
        topics.sendMalformed(
                Dataset.OPTIONS,
                "plain text, not JSON",
                "NOT_JSON",
                "not JSON: Unrecognized token 'plain': was expecting (JSON String, Number, Array, Object or token "
                        + "'null', 'true' or 'false') (line 1, column 7)");
        topics.sendMalformed(
                Dataset.OPTIONS,
                Samples.edit(Samples.OPTION_QUOTE, n -> n.put("expiration", "Mar 15")),
                "WRONG_TYPE",
                "field 'expiration' must be a date (YYYY-MM-DD), got 'Mar 15'");
        topics.sendMalformed(
                Dataset.OPTIONS,
                Samples.edit(Samples.OPTION_QUOTE, n -> n.remove("contract")),
                "MISSING_FIELD",
                "missing required field 'contract'");
        topics.sendBytes(
                Dataset.FUNDAMENTALS,
                new byte[] {(byte) 0xFF, (byte) 0xFE, 'x'},
                "NOT_JSON",
                "not JSON: Invalid UTF-8 start byte 0xfe (line 1, column 3)",
                Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, (byte) 0xFE, 'x'}),
                "base64");
        topics.sendMalformed(
                Dataset.FUNDAMENTALS,
                Samples.edit(Samples.FUNDAMENTALS, n -> n.put("fiscal_year", 2024.5)),
                "WRONG_TYPE",
                "field 'fiscal_year' must be a 32-bit integer, got 2024.5");
        topics.sendMalformed(
                Dataset.NEWS, "[" + Samples.NEWS + "]", "WRONG_TYPE", "the value must be a JSON object, got ARRAY");
        topics.sendMalformed(
                Dataset.NEWS,
                Samples.edit(Samples.NEWS, n -> n.put("symbols", "AAPL")),
                "WRONG_TYPE",
                "field 'symbols' must be an array of strings, got \"AAPL\"");
        topics.sendBytes(Dataset.NEWS, null, "NOT_JSON", "the value is null (a tombstone)", null, null);

        run(topics, "bars,options,fundamentals,news", "--dlq-dir", dlq.toString());

        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(barRows);
        assertThat(Tables.optionQuotes(DB)).containsExactlyInAnyOrderElementsOf(optionRows);
        assertThat(Tables.fundamentals(DB)).containsExactlyInAnyOrderElementsOf(fundamentalsRows);
        assertThat(Tables.news(DB)).containsExactlyInAnyOrderElementsOf(newsRows);
        assertThat(newsRows).isNotEmpty();

        assertThat(Tables.inProgressFiles(dlq)).isEmpty();
        for (Dataset<?> dataset : Dataset.ALL) {
            assertThat(Tables.deadLetters(dlq.resolve(dataset.name())).stream().map(KafkaTopics::withoutTime))
                    .as(dataset.name())
                    .containsExactlyInAnyOrderElementsOf(topics.deadLetters(dataset));
        }
        assertThat(topics.deadLetters(Dataset.BARS)).hasSize(bars.rejected().size() + 3);
    }

    @Test
    void sendsDeadLettersToAKafkaTopicWhenAsked(@TempDir Path dlq) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "dlq");
        KAFKA.createTopic(topics.name("dead-letters"), 1);
        Bar bar = Samples.read(new dev.marketdata.job.json.BarJson(), Samples.BAR, n -> {});
        topics.sendRecord(Dataset.BARS, bar);
        topics.sendMalformed(
                Dataset.BARS,
                "nope",
                "NOT_JSON",
                "not JSON: Unrecognized token 'nope': was expecting "
                        + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false') (line 1, column 5)");
        Bar crossed = new Bar("AAPL", "1m", bar.ts().plusSeconds(60), 10, 9, 11, 10, 5, null, null, "polygon");
        topics.sendRecord(Dataset.BARS, crossed);
        topics.expectRejected(Dataset.BARS, crossed, "HIGH_BELOW_LOW", "high 9.0 < low 11.0");

        run(topics, "bars", "--dlq-kafka-topic", topics.name("dead-letters"), "--dlq-dir", dlq.toString());

        assertThat(Tables.bars(DB)).containsExactly(bar);
        List<ConsumerRecord<byte[], byte[]>> letters = KAFKA.readAll(topics.name("dead-letters"));
        assertThat(letters).extracting(r -> new String(r.key(), UTF_8)).containsOnly("bars");
        assertThat(letters.stream().map(r -> KafkaTopics.withoutTime(KafkaTopics.json(r.value()))))
                .containsExactlyInAnyOrderElementsOf(topics.deadLetters(Dataset.BARS));
        assertThat(Tables.deadLetters(dlq)).isEmpty();
    }

    private static void run(KafkaTopics topics, String datasets, String... more) throws Exception {
        topics.runJob(KAFKA.bootstrapServers(), DB.jdbcUrl(), datasets, more);
    }
}
