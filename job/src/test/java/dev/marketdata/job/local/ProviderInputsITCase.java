package dev.marketdata.job.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.testing.KafkaBrokerExtension;
import dev.marketdata.job.testing.KafkaTopics;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data real providers publish, which the rules once refused or stored twice (issue 8, kinds 5 and 6), through the
 * path a user takes: values on Kafka topics, {@code bin/run-local}'s runner (bounded Kafka source, exactly-once,
 * parallelism 2, files dead-letter queue) into a fresh database. Each case file under {@code cases/} is the shared
 * one, line for line; each test asserts the exit status, every row, and the dead letters (none).
 */
class ProviderInputsITCase {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @BeforeEach
    void emptyDatabase() throws Exception {
        DB.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    @Test
    void case07SessionAnchoredIntradayBarsAreAllStored(@TempDir Path work) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "case07");
        List<String> lines = caseLines("07-session-anchored-intraday-bars.ndjson");
        send(topics, Dataset.BARS, lines);

        assertThat(runLocal(topics, work, "bars")).isZero();

        assertThat(Tables.bars(DB))
                .containsExactlyInAnyOrder(
                        bar("SPY", "1h", "2024-03-01T14:30:00Z", 508.9, 510.3, 508.6, 510.05, 9120000, "yahoo"),
                        bar("SPY", "1h", "2024-03-01T15:30:00Z", 510.05, 510.7, 509.8, 510.4, 6350000, "yahoo"),
                        bar("SPY", "1h", "2024-03-12T13:30:00Z", 512.2, 513.1, 511.9, 512.85, 8840000, "yahoo"),
                        bar("^NSEI", "30m", "2024-03-01T03:45:00Z", 22040.5, 22105.0, 22010.0, 22090.2, 0, "yahoo"),
                        bar("^NSEI", "1h", "2024-03-01T03:45:00Z", 22040.5, 22160.0, 22010.0, 22140.8, 0, "yahoo"),
                        bar("SPY", "1h", "2024-03-04T14:00:00Z", 511.3, 511.9, 510.7, 511.6, 5020000, "polygon"),
                        bar("SPY", "1d", "2024-03-01T05:00:00Z", 508.9, 513.3, 508.6, 512.8, 75400000, "polygon"));
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(records(Dataset.BARS, lines));
        assertThat(Tables.deadLetters(work.resolve("dlq"))).isEmpty();
    }

    @Test
    void case08SixteenAndSeventeenWeekRetailQuartersAreStored(@TempDir Path work) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "case08");
        List<String> lines = caseLines("08-16-week-retail-quarter.ndjson");
        send(topics, Dataset.FUNDAMENTALS, lines);

        assertThat(runLocal(topics, work, "fundamentals")).isZero();

        List<Fundamentals> rows = Tables.fundamentals(DB);
        assertThat(rows).containsExactlyInAnyOrderElementsOf(records(Dataset.FUNDAMENTALS, lines));
        assertThat(rows)
                .extracting(f -> f.symbol() + " " + f.fiscalPeriod() + " " + f.periodStart() + ".." + f.periodEnd()
                        + " " + f.revenue())
                .containsExactlyInAnyOrder(
                        "KR Q1 2018-02-04..2018-05-26 3.5E10",
                        "KR Q2 2018-05-27..2018-08-18 2.6E10",
                        "COST Q4 2023-05-08..2023-09-03 7.5E10");
        assertThat(Tables.deadLetters(work.resolve("dlq"))).isEmpty();
    }

    @Test
    void case10RealSymbolsAndAnArticleTaggedWithThemAreStored(@TempDir Path work) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "case10");
        List<String> lines = caseLines("10-real-symbols-outside-rule.ndjson");
        send(topics, Dataset.BARS, lines.subList(0, 3));
        send(topics, Dataset.NEWS, lines.subList(3, 4));

        assertThat(runLocal(topics, work, "bars,news")).isZero();

        assertThat(Tables.bars(DB))
                .containsExactlyInAnyOrder(
                        bar("M&M.NS", "1d", "2024-03-01T03:45:00Z", 1690.0, 1712.5, 1681.2, 1705.9, 2140000, "yahoo"),
                        bar(
                                "BTCUSDT_240628",
                                "1m",
                                "2024-03-01T14:30:00Z",
                                62850.1,
                                62901.0,
                                62830.4,
                                62888.8,
                                41.237,
                                "binance"),
                        bar(
                                "BTC/USD",
                                "1m",
                                "2024-03-01T14:30:00Z",
                                62790.0,
                                62840.0,
                                62770.5,
                                62831.2,
                                3.5012,
                                "alpaca"));
        assertThat(Tables.news(DB))
                .containsExactly(new NewsArticle(
                        "gw-99001",
                        Instant.parse("2024-03-01T06:10:00Z"),
                        "Indian automakers report record February sales",
                        null,
                        null,
                        "https://news.example.in/99001",
                        List.of("M&M.NS", "TATAMOTORS.NS"),
                        null,
                        0.5,
                        "examplegw"));
        assertThat(Tables.deadLetters(work.resolve("dlq"))).isEmpty();
    }

    /**
     * Kind 5: one instrument in the spellings of several providers is one row, under its canonical spelling, with
     * the values of the last message; an article's tags are not keys and are stored exactly as sent.
     */
    @Test
    void spellingsOfOneInstrumentBecomeOneRowAndOddTagsAreKept(@TempDir Path work) throws Exception {
        KafkaTopics topics = new KafkaTopics(KAFKA, "spellings");
        String ts = "2024-03-01T14:30:00Z";
        // One partition, so the order the job sees is the order sent: the last one's values must win.
        send(
                topics,
                Dataset.BARS,
                List.of(
                        barJson("BRK B", ts, 411.0, "ibkr"),
                        barJson("BRK.B", ts, 412.0, "polygon"),
                        barJson("O:AAPL240315C00180000", ts, 4.4, "polygon"),
                        barJson("AAPL240315C00180000", ts, 4.5, "alpaca")));
        send(
                topics,
                Dataset.OPTIONS,
                List.of(
                        quoteJson("O:AAPL240315C00180000", "AAPL", 4.35, "polygon"),
                        quoteJson("AAPL  240315C00180000", "AAPL", 4.36, "ibkr"),
                        quoteJson("AAPL240315C00180000", "AAPL", 4.37, "alpaca"),
                        quoteJson("BRKB  240315C00400000", "BRK B", 1.1, "ibkr")));
        send(
                topics,
                Dataset.FUNDAMENTALS,
                List.of(fundamentalsJson("BRK B", 1.0e11, "ibkr"), fundamentalsJson("BRK.B", 1.1e11, "polygon")));
        String oddTags = "{\"id\":\"n-1\",\"published_at\":\"2024-03-01T14:31:07Z\",\"headline\":\"h\","
                + "\"url\":\"https://news.example.com/1\",\"symbols\":[\"BRK B\",\"$AAPL\",\"Apple Inc\",\"tBTCUSD\","
                + "\"aapl\",\" SPACED \"],\"provider\":\"examplegw\"}";
        send(topics, Dataset.NEWS, List.of(oddTags));

        assertThat(runLocal(topics, work, "bars,options,fundamentals,news")).isZero();

        assertThat(Tables.bars(DB))
                .containsExactlyInAnyOrder(
                        new Bar(
                                "BRK.B",
                                "1m",
                                Instant.parse(ts),
                                412.0,
                                412.0,
                                412.0,
                                412.0,
                                100,
                                null,
                                null,
                                "polygon"),
                        new Bar(
                                "AAPL240315C00180000",
                                "1m",
                                Instant.parse(ts),
                                4.5,
                                4.5,
                                4.5,
                                4.5,
                                100,
                                null,
                                null,
                                "alpaca"));
        assertThat(Tables.optionQuotes(DB))
                .extracting(q -> q.contract() + " " + q.underlying() + " " + q.bid() + " " + q.provider())
                .containsExactlyInAnyOrder(
                        "AAPL240315C00180000 AAPL 4.37 alpaca", "BRKB240315C00400000 BRK.B 1.1 ibkr");
        assertThat(Tables.fundamentals(DB))
                .extracting(f -> f.symbol() + " " + f.revenue() + " " + f.provider())
                .containsExactly("BRK.B 1.1E11 polygon");
        assertThat(Tables.news(DB))
                .extracting(NewsArticle::symbols)
                .containsExactly(List.of("BRK B", "$AAPL", "Apple Inc", "tBTCUSD", "aapl", " SPACED "));
        assertThat(Tables.deadLetters(work.resolve("dlq"))).isEmpty();
    }

    /** Runs {@code bin/run-local}'s runner in this JVM over everything sent so far; returns its exit status. */
    private static int runLocal(KafkaTopics topics, Path work, String datasets) throws IOException {
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
                datasets,
                "--jdbc-url",
                DB.jdbcUrl(),
                "--parallelism",
                "2",
                "--checkpoint-interval",
                "300ms",
                "--checkpoint-dir",
                work.resolve("checkpoints").toUri().toString(),
                "--dlq-dir",
                work.resolve("dlq").toString(),
                "--web-port",
                String.valueOf(FreePorts.take()),
                "--metrics-port",
                String.valueOf(FreePorts.take())));
        args.addAll(topics.topicOptions());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream printed = new PrintStream(output, true, UTF_8);
        int status = LocalRunner.run(args.toArray(String[]::new), printed, printed);
        assertThat(output.toString(UTF_8)).as("run-local's output").contains("[run-local] Job finished in");
        return status;
    }

    private static void send(KafkaTopics topics, Dataset<?> dataset, List<String> values) {
        for (String value : values) {
            KAFKA.produce(topics.topic(dataset), 0, null, value.getBytes(UTF_8));
        }
    }

    private static List<String> caseLines(String file) {
        try (InputStream in = ProviderInputsITCase.class.getResourceAsStream("/cases/" + file)) {
            return new String(in.readAllBytes(), UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records {@code lines} hold, read with the data set's own JSON format. */
    private static <T> List<T> records(Dataset<T> dataset, List<String> lines) throws IOException {
        List<T> records = new ArrayList<>();
        for (String line : lines) {
            records.add(dataset.json().read(Json.MAPPER.readTree(line)));
        }
        return records;
    }

    private static Bar bar(
            String symbol,
            String timeframe,
            String ts,
            double open,
            double high,
            double low,
            double close,
            double volume,
            String provider) {
        return new Bar(symbol, timeframe, Instant.parse(ts), open, high, low, close, volume, null, null, provider);
    }

    private static String barJson(String symbol, String ts, double price, String provider) {
        return String.format(
                "{\"symbol\":\"%s\",\"timeframe\":\"1m\",\"ts\":\"%s\",\"open\":%s,\"high\":%s,"
                        + "\"low\":%s,\"close\":%s,\"volume\":100,\"provider\":\"%s\"}",
                symbol, ts, price, price, price, price, provider);
    }

    private static String quoteJson(String contract, String underlying, double bid, String provider) {
        double strike = contract.contains("00400000") ? 400.0 : 180.0;
        return String.format(
                "{\"contract\":\"%s\",\"underlying\":\"%s\",\"expiration\":\"2024-03-15\",\"strike\":%s,"
                        + "\"option_right\":\"call\",\"bid\":%s,\"ask\":5.0,\"ts\":\"2024-03-01T14:30:00Z\","
                        + "\"provider\":\"%s\"}",
                contract, underlying, strike, bid, provider);
    }

    private static String fundamentalsJson(String symbol, double revenue, String provider) {
        return String.format(
                "{\"symbol\":\"%s\",\"fiscal_year\":2024,\"fiscal_period\":\"Q1\","
                        + "\"period_start\":\"2024-01-01\",\"period_end\":\"2024-03-31\",\"revenue\":%s,\"currency\":\"USD\","
                        + "\"provider\":\"%s\"}",
                symbol, revenue, provider);
    }
}
