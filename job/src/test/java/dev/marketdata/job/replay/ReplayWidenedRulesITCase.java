package dev.marketdata.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.dlq.DeadLetter;
import dev.marketdata.job.dlq.DeadLetterEncoder;
import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import dev.marketdata.sources.model.Bar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead letters the narrower rules of earlier versions wrote (a real ticker as {@code MALFORMED_SYMBOL}, a
 * session-anchored bar as {@code MISALIGNED_START}) replay into rows once the rules accept them, with their symbols
 * in the canonical spelling the job itself stores.
 */
class ReplayWidenedRulesITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Test
    void lettersOfTheOldRulesReplayIntoCanonicalRows(@TempDir Path dlq) throws Exception {
        SchemaMigrator.migrate(DB.jdbc());
        Instant open = Instant.parse("2024-03-01T14:30:00Z");
        Bar ibkr = new Bar("BRK B", "1h", open, 411, 412, 410, 411.5, 1000, null, null, "ibkr");
        Bar nse = new Bar(
                "M&M.NS",
                "1d",
                Instant.parse("2024-03-01T03:45:00Z"),
                1690,
                1712.5,
                1681.2,
                1705.9,
                2140000,
                null,
                null,
                "yahoo");
        Files.createDirectories(dlq.resolve("bars"));
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        lines.write(DeadLetterEncoder.toLine(DeadLetter.rejected(
                "bars",
                "MISALIGNED_START",
                "ts 2024-03-01T14:30:00Z is not a multiple of 1h",
                Json.toJson(new BarJson(), ibkr),
                0)));
        lines.write(DeadLetterEncoder.toLine(DeadLetter.rejected(
                "bars",
                "MALFORMED_SYMBOL",
                "symbol 'M&M.NS' is not of the form ...",
                Json.toJson(new BarJson(), nse),
                0)));
        Files.write(dlq.resolve("bars/dead-letters-validate-old.ndjson"), lines.toByteArray());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplayCommand.run(
                new String[] {"--dlq-dir", dlq.toString(), "--jdbc-url", DB.jdbcUrl()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Tables.bars(DB))
                .containsExactlyInAnyOrder(
                        new Bar("BRK.B", "1h", open, 411, 412, 410, 411.5, 1000, null, null, "ibkr"), nse);
        assertThat(Files.readString(dlq.resolve("bars/dead-letters-validate-old.ndjson.replayed")))
                .isEqualTo("1\n2\n");
    }
}
