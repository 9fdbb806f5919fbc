package dev.marketdata.job.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.local.FreePorts;
import dev.marketdata.job.local.LocalRunner;
import dev.marketdata.job.testing.JobProcess;
import dev.marketdata.job.testing.KafkaBrokerExtension;
import dev.marketdata.job.testing.KafkaTopics;
import dev.marketdata.job.testing.PipelineTestCluster;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.OptionQuote;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-world inputs of {@code shared/cases} (copied to {@code src/test/resources/cases}) that are about the
 * stored domain, each through the real path: a Kafka broker, the job at parallelism 2, exactly-once, into a fresh
 * database; each asserts the exact rows, dead letters and that the job ends well (as {@code bin/run-local} would
 * with exit status 0; case 01 with the dead-letter table runs {@code bin/run-local}'s entry point itself).
 */
class InputCasesITCase {

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
    void case01NulInNewsTextWithDeadLetterFiles(@TempDir Path dlq) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "case01f");
        List<String> lines = lines("01-nul-in-news-text.ndjson");
        send(topics, Dataset.NEWS, lines);

        run(topics, "news", "--dlq-dir", dlq.toString());

        assertThat(Tables.news(DB)).containsExactly(read(Dataset.NEWS, lines.get(3)));
        assertThat(Tables.deadLetters(dlq.resolve("news")).stream().map(KafkaTopics::withoutTime))
                .containsExactlyInAnyOrder(
                        validateLetter(
                                "news",
                                "UNSTORABLE_TEXT",
                                "headline holds U+0000 at index 25, which no text column can store",
                                lines.get(0)),
                        validateLetter(
                                "news",
                                "MALFORMED_ID",
                                "id must be 1-256 characters without control " + "characters, got 'nw-0001\u000002'",
                                lines.get(1)),
                        validateLetter(
                                "news",
                                "UNSTORABLE_TEXT",
                                "summary holds U+0000 at index 5, which no text column can store",
                                lines.get(2)));
    }

    @Test
    void case01NulInNewsTextWithTheDeadLetterTableThroughRunLocal(@TempDir Path dir) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "case01t");
        List<String> lines = lines("01-nul-in-news-text.ndjson");
        send(topics, Dataset.NEWS, lines);

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
                "news",
                "--jdbc-url",
                DB.jdbcUrl(),
                "--dlq-destination",
                "table",
                "--dlq-dir",
                dir.resolve("dlq").toString(),
                "--checkpoint-dir",
                dir.resolve("checkpoints").toString(),
                "--checkpoint-interval",
                "300ms",
                "--parallelism",
                "2",
                "--job-name",
                "case01-table",
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())));
        args.addAll(topics.topicOptions());
        try (JobProcess job = JobProcess.start(
                Path.of("target", "input-cases-it"),
                Map.of(),
                LocalRunner.class.getName(),
                args.toArray(String[]::new))) {
            assertThat(job.waitFor(180)).as(job.output()).isZero();
        }

        assertThat(Tables.news(DB)).containsExactly(read(Dataset.NEWS, lines.get(3)));
        // jsonb cannot hold the records (U+0000): each is kept as its exact JSON text, the message escaped.
        List<String> letters = new ArrayList<>();
        try (Connection c = DB.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT dataset, stage, reason, message, record, record_text, raw, "
                        + "raw_encoding, origin FROM dead_letters ORDER BY message")) {
            while (rs.next()) {
                assertThat(rs.getString("record")).isNull();
                assertThat(rs.getString("raw")).isNull();
                assertThat(rs.getString("origin")).isNull();
                JsonNode record = Json.MAPPER.readTree(new String(rs.getBytes("record_text"), UTF_8));
                letters.add(String.join(
                        "|",
                        rs.getString("dataset"),
                        rs.getString("stage"),
                        rs.getString("reason"),
                        rs.getString("message"),
                        String.valueOf(lines.indexOf(matching(lines, record)) + 1)));
            }
        }
        assertThat(letters)
                .containsExactly(
                        "news|validate|UNSTORABLE_TEXT|headline holds U+0000 at index 25, which no text column can store|1",
                        "news|validate|MALFORMED_ID|id must be 1-256 characters without control characters, got "
                                + "'nw-0001\\u000002'|2",
                        "news|validate|UNSTORABLE_TEXT|summary holds U+0000 at index 5, which no text column can store|3");
    }

    @Test
    void case03QuotesWithinOneMicrosecondAreOneRowAndACorrectionReplacesIt(@TempDir Path dlq) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "case03");
        List<String> lines = lines("03-sub-microsecond-timestamps.ndjson");
        send(topics, Dataset.OPTIONS, List.of(lines.get(0), lines.get(1), lines.get(2), lines.get(4)));
        run(topics, "options", "--dlq-dir", dlq.toString());
        // Line 3 is committed (the bounded job ended with a completed checkpoint); now its correction comes.
        assertThat(Tables.optionQuotes(DB)).extracting(OptionQuote::bid).containsExactly(4.11, 2.05, 3.2);
        send(topics, Dataset.OPTIONS, List.of(lines.get(3)));
        run(topics, "options", "--dlq-dir", dlq.toString());

        OptionQuote second = read(Dataset.OPTIONS, lines.get(1));
        OptionQuote correction = read(Dataset.OPTIONS, lines.get(3));
        assertThat(Tables.optionQuotes(DB))
                .containsExactly(
                        withTs(second, Instant.parse("2024-06-14T14:30:00Z")),
                        read(Dataset.OPTIONS, lines.get(4)),
                        withTs(correction, Instant.parse("2024-06-14T14:31:00.999999Z")));
        assertThat(correction.bid()).isEqualTo(3.21);
        assertThat(Tables.deadLetters(dlq)).isEmpty();
    }

    @Test
    void case05JavaSentinelDatesAreDeadLetteredOutOfRange(@TempDir Path dlq) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "case05");
        List<String> lines = lines("05-java-sentinel-dates.ndjson");
        send(topics, Dataset.BARS, List.of(lines.get(0), lines.get(4)));
        send(topics, Dataset.OPTIONS, List.of(lines.get(1)));
        send(topics, Dataset.NEWS, List.of(lines.get(2)));
        send(topics, Dataset.FUNDAMENTALS, List.of(lines.get(3)));

        run(topics, "bars,options,fundamentals,news", "--dlq-dir", dlq.toString());

        for (String table : List.of("bars", "option_quotes", "fundamentals", "news")) {
            assertThat(DB.count(table)).as(table).isZero();
        }
        assertThat(Tables.deadLetters(dlq.resolve("bars")).stream().map(KafkaTopics::withoutTime))
                .containsExactlyInAnyOrder(
                        validateLetter(
                                Dataset.BARS,
                                "TIME_OUT_OF_RANGE",
                                "ts +1000000000-12-31T23:59:59.999Z is outside years 0001-9999 (UTC)",
                                lines.get(0)),
                        validateLetter(
                                Dataset.BARS,
                                "TIME_OUT_OF_RANGE",
                                "ts -1000000000-01-01T00:00:00Z is outside years 0001-9999 (UTC)",
                                lines.get(4)));
        assertThat(Tables.deadLetters(dlq.resolve("options")).stream().map(KafkaTopics::withoutTime))
                .containsExactly(validateLetter(
                        Dataset.OPTIONS,
                        "TIME_OUT_OF_RANGE",
                        "ts -1000000000-01-01T00:00:00Z is outside years 0001-9999 (UTC)",
                        lines.get(1)));
        assertThat(Tables.deadLetters(dlq.resolve("news")).stream().map(KafkaTopics::withoutTime))
                .containsExactly(validateLetter(
                        Dataset.NEWS,
                        "TIME_OUT_OF_RANGE",
                        "published_at -1000000000-01-01T00:00:00Z is outside years 0001-9999 (UTC)",
                        lines.get(2)));
        assertThat(Tables.deadLetters(dlq.resolve("fundamentals")).stream().map(KafkaTopics::withoutTime))
                .containsExactly(validateLetter(
                        Dataset.FUNDAMENTALS,
                        "TIME_OUT_OF_RANGE",
                        "filing_date +999999999-12-31 is outside years 0001-9999",
                        lines.get(3)));
    }

    @Test
    void case06LeapSecondNeverReplacesTheRealSecondInEitherSpelling(@TempDir Path dlq) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "case06");
        List<String> lines = lines("06-leap-second.ndjson");
        List<String> origins = send(topics, Dataset.BARS, lines);

        run(topics, "bars", "--dlq-dir", dlq.toString());

        Bar realSecond = read(Dataset.BARS, lines.get(1));
        assertThat(realSecond.high()).isEqualTo(963.2);
        assertThat(Tables.bars(DB))
                .containsExactly(read(Dataset.BARS, lines.get(0)), realSecond, read(Dataset.BARS, lines.get(3)));
        assertThat(Tables.deadLetters(dlq.resolve("bars")).stream().map(KafkaTopics::withoutTime))
                .containsExactlyInAnyOrder(
                        parseLetter(
                                "LEAP_SECOND",
                                "field 'ts' names a leap second, which a timestamp cannot hold: "
                                        + "'2016-12-31T23:59:60Z'",
                                lines.get(2),
                                origins.get(2)),
                        parseLetter(
                                "LEAP_SECOND",
                                "field 'ts' names a leap second, which a timestamp cannot hold: "
                                        + "'2016-12-31T18:59:60-05:00'",
                                lines.get(4),
                                origins.get(4)));
    }

    private static JsonNode validateLetter(String dataset, String reason, String message, String line) {
        ObjectNode letter = Json.MAPPER.createObjectNode();
        letter.put("dataset", dataset)
                .put("stage", "validate")
                .put("reason", reason)
                .put("message", message);
        letter.set("record", KafkaTopics.json(line.getBytes(UTF_8)));
        return letter;
    }

    /** A validate-stage letter whose record is the line as the data set's wire format writes it back. */
    private static <T> JsonNode validateLetter(Dataset<T> dataset, String reason, String message, String line) {
        ObjectNode letter = (ObjectNode) validateLetter(dataset.name(), reason, message, line);
        letter.set(
                "record",
                KafkaTopics.json(
                        Json.toJson(dataset.json(), read(dataset, line)).getBytes(UTF_8)));
        return letter;
    }

    private static JsonNode parseLetter(String reason, String message, String raw, String origin) {
        ObjectNode letter = Json.MAPPER.createObjectNode();
        letter.put("dataset", "bars")
                .put("stage", "parse")
                .put("reason", reason)
                .put("message", message)
                .put("raw", raw)
                .put("rawEncoding", "text")
                .put("origin", origin);
        return letter;
    }

    private static String matching(List<String> lines, JsonNode record) {
        return lines.stream()
                .filter(l -> KafkaTopics.json(l.getBytes(UTF_8)).equals(record))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line of the case is " + record));
    }

    private static OptionQuote withTs(OptionQuote q, Instant ts) {
        return new OptionQuote(
                q.contract(),
                q.underlying(),
                q.expiration(),
                q.strike(),
                q.optionRight(),
                q.bid(),
                q.ask(),
                q.last(),
                q.bidSize(),
                q.askSize(),
                q.volume(),
                q.openInterest(),
                q.impliedVolatility(),
                q.delta(),
                q.gamma(),
                q.theta(),
                q.vega(),
                q.rho(),
                ts,
                q.provider());
    }

    static <T> T read(Dataset<T> dataset, String line) {
        return dataset.json().read(KafkaTopics.json(line.getBytes(UTF_8)));
    }

    /** The lines of a case file, as a producer sends them. */
    static List<String> lines(String file) {
        try (InputStream in = InputCasesITCase.class.getResourceAsStream("/cases/" + file)) {
            return new String(in.readAllBytes(), UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code values} in order to partition 0 of the data set's topic; returns their origins. */
    private static List<String> send(KafkaTopics topics, Dataset<?> dataset, List<String> values) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String value : values) {
            records.add(new ProducerRecord<>(topics.topic(dataset), 0, null, value.getBytes(UTF_8)));
        }
        List<String> origins = new ArrayList<>();
        for (RecordMetadata at : KAFKA.produceAll(records)) {
            origins.add(at.topic() + "/" + at.partition() + "/" + at.offset());
        }
        return origins;
    }

    private static void run(KafkaTopics topics, String datasets, String... more) throws Exception {
        topics.runJob(KAFKA.bootstrapServers(), DB.jdbcUrl(), datasets, more);
    }
}
