package dev.marketdata.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.MarketDataJob;
import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterEncoder;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.ExpectedSynthetic;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/replay-dlq} ({@link ReplayCommand}) on the dead letters of a real run: rows a CHECK constraint
 * refused are replayed once it is dropped, every valid row ends in the table, and a second replay changes
 * nothing; records refused again for a new reason move to a new file.
 */
class DeadLetterReplayITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(new Configuration())
            .build());

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final String CHECK_MESSAGE = "new row for relation \"bars\" violates check constraint \"poison\"";

    @TempDir
    Path dlq;

    @BeforeEach
    void emptyTable() throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        DB.execute("TRUNCATE bars");
        DB.execute("ALTER TABLE bars DROP CONSTRAINT IF EXISTS poison");
        DB.execute("DROP TRIGGER IF EXISTS refuse ON bars");
    }

    private static Output replay(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplayCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Output(int status, String out, String err) {}

    /** Every file under the DLQ with its content: the replay's marks and new files included. */
    private Map<String, String> dlqFiles() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dlq)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(dlq.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    @Test
    void replaysTheRowsARemovedConstraintRefusedAndASecondReplayChangesNothing() throws Exception {
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades % 23 <> 0)");
        JobSettings settings = JobSettings.from(
                CommandLine.parse(
                        new String[] {
                            "--symbols",
                            "12",
                            "--bars-per-symbol",
                            "40",
                            "--invalid-every",
                            "7",
                            "--rate",
                            "0",
                            "--jdbc-url",
                            DB.jdbcUrl(),
                            "--dlq-dir",
                            dlq.toString(),
                            "--parallelism",
                            "2",
                            "--checkpoint-interval",
                            "300ms",
                            "--sink.batch.max-rows",
                            "50",
                            "--restart-attempts",
                            "0"
                        },
                        MarketDataOptions.ALL),
                Map.of());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        MarketDataJob.wire(env, settings);
        env.execute("replay-it");
        ExpectedSynthetic expected = ExpectedSynthetic.of(settings.synthetic());
        List<Bar> refused =
                expected.validBars().stream().filter(b -> b.trades() % 23 == 0).toList();
        assertThat(DB.count("bars")).isEqualTo(412 - 27);
        assertThat(Tables.deadLetters(dlq)).hasSize(68 + 27);

        // Dry run: what would be replayed, by reason; nothing changes.
        Map<String, String> before = dlqFiles();
        Output dry = replay("--dlq-dir", dlq.toString(), "--dry-run");
        assertThat(dry.status()).as(dry.err()).isZero();
        Map<String, Long> byReason = new TreeMap<>(expected.rejected().stream()
                .collect(Collectors.groupingBy(ExpectedSynthetic.Rejected::reason, Collectors.counting())));
        StringBuilder table = new StringBuilder(String.format("%-10s %-24s %10s%n", "dataset", "reason", "to replay"));
        table.append(String.format("%-10s %-24s %10d%n", "bars", "23514", 27));
        byReason.forEach((reason, n) -> table.append(String.format("%-10s %-24s %10d%n", "bars", reason, n)));
        assertThat(dry.out())
                .isEqualTo(
                        "[replay-dlq] Dry run: nothing is written\n" + table + "95 dead letter(s) would be replayed\n");
        assertThat(replay("--dlq-dir", dlq.toString(), "--dry-run", "--reason", "23514")
                        .out())
                .endsWith("bars       23514                            27\n27 dead letter(s) would be replayed\n");
        assertThat(dlqFiles()).isEqualTo(before);

        // Replayed before the cause is fixed: refused again for the same reason, so nothing moves.
        Output tooEarly = replay("--dlq-dir", dlq.toString(), "--jdbc-url", DB.jdbcUrl(), "--reason", "23514");
        assertThat(tooEarly.status()).as(tooEarly.err()).isZero();
        assertThat(tooEarly.out())
                .contains(String.format("%-10s %-24s %9d %9d %13d %14d%n", "bars", "23514", 27, 0, 0, 27));
        assertThat(dlqFiles()).isEqualTo(before);
        assertThat(DB.count("bars")).isEqualTo(412 - 27);

        DB.execute("ALTER TABLE bars DROP CONSTRAINT poison");
        Output first = replay("--dlq-dir", dlq.toString(), "--jdbc-url", DB.jdbcUrl());

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out())
                .contains(String.format("%-10s %-24s %9d %9d %13d %14d%n", "bars", "23514", 27, 27, 0, 0))
                .contains(String.format(
                        "%-10s %-24s %9d %9d %13d %14d%n",
                        "bars", "HIGH_BELOW_LOW", byReason.get("HIGH_BELOW_LOW"), 0, 0, byReason.get("HIGH_BELOW_LOW")))
                .endsWith("95 dead letter(s) replayed\n");
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(expected.validBars());
        // The write-stage files are marked; the validation letters, invalid as ever, are left as they were.
        Map<String, String> afterFirst = dlqFiles();
        List<String> marks = afterFirst.keySet().stream()
                .filter(f -> f.endsWith(".replayed"))
                .toList();
        assertThat(marks).isNotEmpty().allSatisfy(f -> assertThat(f).startsWith("bars/dead-letters-write-"));
        assertThat(marks.stream()
                        .mapToLong(f -> afterFirst.get(f).lines().count())
                        .sum())
                .isEqualTo(27);
        assertThat(afterFirst.keySet()).noneMatch(f -> f.contains("dead-letters-replay-"));

        List<String> versions = DB.rows("SELECT xmin, ctid FROM bars ORDER BY symbol, ts");
        Output second = replay("--dlq-dir", dlq.toString(), "--jdbc-url", DB.jdbcUrl());

        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out())
                .doesNotContain("bars       23514")
                .endsWith("68 dead letter(s) replayed; 27 replayed before, skipped\n");
        assertThat(DB.rows("SELECT xmin, ctid FROM bars ORDER BY symbol, ts")).isEqualTo(versions);
        assertThat(dlqFiles()).isEqualTo(afterFirst);
        assertThat(refused).hasSize(27);
    }

    @Test
    void recordsRefusedAgainForANewReasonMoveToANewFileAndAreNotReplayedTwice() throws Exception {
        Instant t0 = Instant.parse("2024-01-02T14:30:00Z");
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bars.add(new Bar("R" + i, "1m", t0, 10, 11, 9, 10.5, 100, null, (long) i, "test"));
        }
        Files.createDirectories(dlq.resolve("bars"));
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (Bar bar : bars) {
            lines.write(DeadLetterEncoder.toLine(
                    DeadLetter.refused("bars", "23514", CHECK_MESSAGE, Json.toJson(new BarJson(), bar), 0)));
        }
        lines.write(
                "{\"dataset\":\"bars\",\"stage\":\"parse\",\"reason\":\"NOT_JSON\",\"message\":\"x\",\"raw\":\"%%\",\"rejectedAt\":\"1970-01-01T00:00:00Z\"}\n"
                        .getBytes(StandardCharsets.UTF_8));
        Files.write(dlq.resolve("bars/dead-letters-write-x.ndjson"), lines.toByteArray());
        // The constraint is gone, but a trigger now refuses odd trades with another SQLState.
        DB.execute("CREATE OR REPLACE FUNCTION refuse_odd() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.trades % 2 = 1 THEN RAISE EXCEPTION 'odd trades' USING ERRCODE = '23P01'; END IF; "
                + "RETURN NEW; END $$");
        DB.execute("CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON bars FOR EACH ROW EXECUTE FUNCTION refuse_odd()");

        Output first = replay("--dlq-dir", dlq.toString(), "--jdbc-url", DB.jdbcUrl());

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out())
                .contains(String.format("%-10s %-24s %9d %9d %13d %14d%n", "bars", "23514", 4, 2, 2, 0))
                .contains("4 dead letter(s) replayed; 1 without a record (raw payloads), skipped")
                .contains("failed again, with new reasons {23P01=2}, in dead-letters-replay-write-x-");
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrder(bars.get(0), bars.get(2));
        List<Path> newFiles;
        try (Stream<Path> files = Files.list(dlq.resolve("bars"))) {
            newFiles = files.filter(p -> p.getFileName().toString().startsWith("dead-letters-replay-write-x-"))
                    .toList();
        }
        assertThat(newFiles).hasSize(1);
        assertThat(Tables.deadLetters(dlq.resolve("bars")).stream()
                        .filter(l -> l.get("reason").asText().equals("23P01"))
                        .map(l ->
                                l.get("stage").asText() + " " + l.get("message").asText() + " " + l.get("record")))
                .containsExactly(
                        "write odd trades " + Json.toJson(new BarJson(), bars.get(1)),
                        "write odd trades " + Json.toJson(new BarJson(), bars.get(3)));
        assertThat(Files.readString(dlq.resolve("bars/dead-letters-write-x.ndjson.replayed")))
                .isEqualTo("1\n2\n3\n4\n");

        // Fix the new cause, replay again: only the new file's letters are left to replay.
        DB.execute("DROP TRIGGER refuse ON bars");
        Output second = replay("--dlq-dir", dlq.toString(), "--jdbc-url", DB.jdbcUrl());

        assertThat(second.out())
                .contains(String.format("%-10s %-24s %9d %9d %13d %14d%n", "bars", "23P01", 2, 2, 0, 0))
                .doesNotContain("bars       23514");
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(bars);
    }

    @Test
    void saysWhatIsWrongWithItsArguments() {
        assertThat(replay("--reason", "23514")).isEqualTo(new Output(2, "", "error: --dlq-dir is required\n"));
        Output missing = replay("--dlq-dir", dlq.resolve("nope").toString(), "--dry-run");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: No dead-letter directory at ");
        assertThat(replay("--help").out())
                .contains("--dry-run   (default: false)")
                .contains("--reason REASON");
    }
}
