package dev.marketdata.job.domain;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterEncoder;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.JsonFieldException;
import dev.marketdata.job.parse.ParseRecords;
import dev.marketdata.job.replay.DeadLetterReplay;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.sink.table.DeadLetterTable;
import dev.marketdata.job.sink.table.PgBatchWriter;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.job.validate.Violation;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based (jqwik): records drawn from each field's whole domain (see {@link DomainValues}) are each either
 * stored and read back from PostgreSQL equal to what was sent, at the documented precision (times truncated to the
 * microsecond), through COPY, through the upsert fallback and through replay, or dead-lettered with a reason that
 * both dead-letter destinations (files and table) store and give back exactly; and nothing throws on the way.
 * Each try goes the way of a Kafka value: written in the wire format, parsed, validated, written.
 */
class InputDomainPropertiesITCase {

    private static final int TRIES = 200;
    private static final PostgresTestDatabase DB = new PostgresTestDatabase();
    private static Path dlqRoot;
    /** One connection for every try, auto-commit off: each write commits, each dead-letter check rolls back. */
    private static Connection connection;

    @BeforeContainer
    static void start() throws Exception {
        DB.open(InputDomainPropertiesITCase.class.getSimpleName());
        SchemaMigrator.migrate(DB.jdbc());
        // Hundreds of tiny commits (the replay's own connection included): durability is not under test here.
        DB.execute("ALTER DATABASE " + DB.name() + " SET synchronous_commit = off");
        dlqRoot = Files.createTempDirectory("domain-properties-");
        connection = DB.jdbc().connect();
    }

    @AfterContainer
    static void stop() throws Exception {
        connection.close();
        DB.close();
        deleteRecursively(dlqRoot);
    }

    @Provide
    Arbitrary<Bar> bars() {
        return Arbitraries.randomValue(random -> new DomainValues(random).bar());
    }

    @Provide
    Arbitrary<OptionQuote> optionQuotes() {
        return Arbitraries.randomValue(random -> new DomainValues(random).optionQuote());
    }

    @Provide
    Arbitrary<Fundamentals> fundamentals() {
        return Arbitraries.randomValue(random -> new DomainValues(random).fundamentals());
    }

    @Provide
    Arbitrary<NewsArticle> newsArticles() {
        return Arbitraries.randomValue(random -> new DomainValues(random).newsArticle());
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Arbitraries.randomValue(random -> new DomainValues(random).payload());
    }

    @Property(tries = TRIES)
    void barsAreStoredExactlyOrDeadLetteredWithAReason(@ForAll("bars") Bar bar) throws Exception {
        check(
                Dataset.BARS,
                bar,
                b -> new Bar(
                        b.symbol(),
                        b.timeframe(),
                        b.ts(),
                        b.open(),
                        b.high(),
                        b.low(),
                        b.close(),
                        b.volume() == 42 ? 43 : 42,
                        b.vwap(),
                        b.trades(),
                        b.provider()),
                () -> Tables.bars(connection));
    }

    @Property(tries = TRIES)
    void optionQuotesAreStoredExactlyOrDeadLetteredWithAReason(@ForAll("optionQuotes") OptionQuote quote)
            throws Exception {
        check(
                Dataset.OPTIONS,
                quote,
                q -> new OptionQuote(
                        q.contract(),
                        q.underlying(),
                        q.expiration(),
                        q.strike(),
                        q.optionRight(),
                        q.bid(),
                        q.ask(),
                        q.last() == null ? 42.0 : null,
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
                        q.ts(),
                        q.provider()),
                () -> Tables.optionQuotes(connection));
    }

    @Property(tries = TRIES)
    void fundamentalsAreStoredExactlyOrDeadLetteredWithAReason(@ForAll("fundamentals") Fundamentals report)
            throws Exception {
        check(
                Dataset.FUNDAMENTALS,
                report,
                f -> new Fundamentals(
                        f.symbol(),
                        f.fiscalYear(),
                        f.fiscalPeriod(),
                        f.periodStart(),
                        f.periodEnd(),
                        f.filingDate(),
                        f.revenue(),
                        f.grossProfit(),
                        f.operatingIncome(),
                        f.netIncome() == null ? 42.0 : null,
                        f.epsBasic(),
                        f.epsDiluted(),
                        f.totalAssets(),
                        f.totalLiabilities(),
                        f.shareholdersEquity(),
                        f.operatingCashFlow(),
                        f.currency(),
                        f.provider()),
                () -> Tables.fundamentals(connection));
    }

    @Property(tries = TRIES)
    void newsArticlesAreStoredExactlyOrDeadLetteredWithAReason(@ForAll("newsArticles") NewsArticle article)
            throws Exception {
        check(
                Dataset.NEWS,
                article,
                a -> new NewsArticle(
                        a.id(),
                        a.publishedAt(),
                        a.headline(),
                        a.summary(),
                        a.author(),
                        a.url(),
                        a.symbols(),
                        a.source(),
                        a.sentiment() == null ? 0.5 : null,
                        a.provider()),
                () -> Tables.news(connection));
    }

    @Property(tries = TRIES)
    void anyPayloadIsDeadLetteredIntoBothDestinationsAndReadBackByteExact(@ForAll("payloads") byte[] payload)
            throws Exception {
        DeadLetter letter = DeadLetter.unparsed(
                "bars",
                ParseRecords.NOT_JSON,
                "not JSON: " + new String(payload, UTF_8),
                DeadLetter.rawOf(payload),
                "t/0/1",
                1L);
        checkDeadLetter(letter, payload);
    }

    /** The lists of rows a table holds, read back. */
    @FunctionalInterface
    private interface Rows<T> {
        List<T> read() throws Exception;
    }

    private <T> void check(Dataset<T> dataset, T generated, UnaryOperator<T> variant, Rows<T> rows) throws Exception {
        // Not vacuous: a good share of the tries reaches the table, another the dead-letter queue.
        Statistics.coverage(checker -> {
            checker.check("stored").percentage(p -> p >= 15);
            checker.check("dead-lettered at validate").percentage(p -> p >= 15);
        });
        // A record from a source that is not Kafka meets the rules as it is: they never throw.
        Violation direct = dataset.validator().check(generated);
        assertThat(direct == null || dataset.validator().reasons().contains(direct.reason()))
                .isTrue();

        // As a Kafka value: the wire format, then the parser.
        String wire = Json.toJson(dataset.json(), generated);
        byte[] value = wire.getBytes(UTF_8);
        T parsed;
        try {
            parsed = new ParseRecords<>(dataset.name(), dataset.json()).parse(value);
        } catch (JsonFieldException e) {
            assertThat(ParseRecords.REASONS).contains(e.reason());
            Statistics.collect("dead-lettered at parse");
            checkDeadLetter(
                    DeadLetter.unparsed(
                            dataset.name(), e.reason(), e.getMessage(), DeadLetter.rawOf(value), "t/0/1", 1L),
                    value);
            return;
        }
        Violation violation = dataset.validator().check(parsed);
        String record = Json.toJson(dataset.json(), parsed);
        if (violation != null) {
            assertThat(dataset.validator().reasons()).contains(violation.reason());
            Statistics.collect("dead-lettered at validate");
            checkDeadLetter(
                    DeadLetter.rejected(dataset.name(), violation.reason(), violation.message(), record, 1L), null);
            replay(dataset, record, "validate", violation.reason(), 0);
            return;
        }
        // What a Kafka value carries is what the job holds: the wire format loses nothing.
        assertThat(parsed).isEqualTo(generated);
        T stored = dataset.table().stored(parsed);
        Statistics.collect("stored");

        empty(dataset);
        assertThat(write(dataset, parsed).upserted()).as("COPY").isZero();
        assertThat(rows.read()).as("after COPY").containsExactly(stored);
        T changed = variant.apply(parsed);
        assertThat(write(dataset, changed).upserted()).as("upsert").isEqualTo(1);
        assertThat(rows.read())
                .as("after the upsert of a change")
                .containsExactly(dataset.table().stored(changed));
        assertThat(write(dataset, parsed).upserted()).as("upsert").isEqualTo(1);
        assertThat(rows.read()).as("after the upsert").containsExactly(stored);

        empty(dataset);
        replay(dataset, record, "write", "53300", 1);
        assertThat(rows.read()).as("after replay").containsExactly(stored);
    }

    private static <T> PgBatchWriter.Result<T> write(Dataset<T> dataset, T row) throws SQLException {
        PgBatchWriter.Result<T> result = new PgBatchWriter<>(dataset.table()).write(connection, List.of(row));
        connection.commit();
        assertThat(result.rejected()).isEmpty();
        return result;
    }

    private static void empty(Dataset<?> dataset) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM " + dataset.table().name());
        }
        connection.commit();
    }

    /** Replays one letter of {@code record}; {@code written} 1 when it must be stored, 0 when it must fail again. */
    private static void replay(Dataset<?> dataset, String record, String stage, String reason, int written)
            throws Exception {
        Path dir = Files.createTempDirectory(dlqRoot, "replay-");
        Path folder = Files.createDirectories(dir.resolve(dataset.name()));
        Files.write(
                folder.resolve("dead-letters-x.ndjson"),
                DeadLetterEncoder.toLine(DeadLetter.ofRecord(
                        dataset.name(), DeadLetter.Stage.ofLabel(stage), reason, "m", record, null, 1L)));
        DeadLetterReplay.Report report =
                new DeadLetterReplay(DeadLetterFiles.toUri(dir.toString()), null, () -> 2L).replay(DB.jdbc());
        assertThat(report.rows.values()).singleElement().satisfies(row -> {
            assertThat(row.selected).isEqualTo(1);
            assertThat(row.written).as(report.format()).isEqualTo(written);
        });
        deleteRecursively(dir);
    }

    /**
     * Writes {@code letter} into both dead-letter destinations and reads it back: the NDJSON line and the
     * {@code dead_letters} row give the same record (as JSON) and the payload's exact bytes.
     */
    private static void checkDeadLetter(DeadLetter letter, byte[] payload) throws Exception {
        JsonNode line = Json.MAPPER.readTree(DeadLetterEncoder.toLine(letter));
        assertThat(line.path("reason").asText()).isEqualTo(letter.reason());
        if (letter.record() != null) {
            assertThat(sameJson(line.get("record"), Json.MAPPER.readTree(letter.record())))
                    .isTrue();
        }
        assertThat(DeadLetter.rawBytes(text(line, "raw"), DeadLetter.RawEncoding.ofLabel(text(line, "rawEncoding"))))
                .isEqualTo(payload);

        Connection c = connection;
        try {
            PgBatchWriter<DeadLetter> writer = new PgBatchWriter<>(new DeadLetterTable());
            assertThat(writer.write(c, List.of(letter)).rejected())
                    .as("dead letters refused by COPY")
                    .isEmpty();
            // The same letter again (a replayed rejection): through the upsert fallback, refused neither.
            PgBatchWriter.Result<DeadLetter> again = writer.write(c, List.of(letter));
            assertThat(again.rejected())
                    .as("dead letters refused by the upsert")
                    .isEmpty();
            assertThat(again.upserted()).isEqualTo(1);
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT reason, record::text, record_text, raw, raw_encoding FROM dead_letters WHERE letter_key = ?")) {
                s.setObject(1, letter.key());
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(letter.reason());
                    if (letter.record() == null) {
                        assertThat(rs.getString(2)).isNull();
                        assertThat(rs.getBytes(3)).isNull();
                    } else if (rs.getString(2) != null) {
                        assertThat(sameJson(
                                        Json.MAPPER.readTree(rs.getString(2)), Json.MAPPER.readTree(letter.record())))
                                .isTrue();
                    } else {
                        assertThat(new String(rs.getBytes(3), UTF_8)).isEqualTo(letter.record());
                    }
                    assertThat(DeadLetter.rawBytes(rs.getString(4), DeadLetter.RawEncoding.ofLabel(rs.getString(5))))
                            .isEqualTo(payload);
                }
            }
        } finally {
            c.rollback();
        }
    }

    /** JSON equality with numbers compared by value: jsonb writes 1e308 as 309 digits. */
    private static boolean sameJson(JsonNode a, JsonNode b) {
        Comparator<JsonNode> numbersByValue = (x, y) -> {
            if (x.isNumber() && y.isNumber()) {
                return x.decimalValue().compareTo(y.decimalValue());
            }
            return x.equals(y) ? 0 : 1;
        };
        return a.equals(numbersByValue, b);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
