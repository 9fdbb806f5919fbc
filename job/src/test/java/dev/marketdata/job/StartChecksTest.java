package dev.marketdata.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.sink.twophase.PreparedTransactionSlots;
import dev.marketdata.job.sink.twophase.PreparedTransactionSlots.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How many exactly-once sinks, and so prepared-transaction slots, a job's options make. */
class StartChecksTest {

    private static final String URL = "jdbc:postgresql://db:5432/marketdata";

    private static JobSettings settings(String... more) {
        List<String> args = new ArrayList<>(List.of("--jdbc-url", URL));
        args.addAll(List.of(more));
        return JobSettings.from(CommandLine.parse(args.toArray(String[]::new), MarketDataOptions.ALL), Map.of());
    }

    @Test
    void everyDataSetHasASinkAndTheDeadLetterTableOneMore() {
        String all = "bars,options,fundamentals,news";
        assertThat(StartChecks.exactlyOnceSinks(settings())).isEqualTo(1);
        assertThat(StartChecks.exactlyOnceSinks(settings("--datasets", all))).isEqualTo(4);
        assertThat(StartChecks.exactlyOnceSinks(settings("--datasets", all, "--dlq-destination", "table")))
                .isEqualTo(5);
        // Dead letters to a Kafka topic go there, whatever --dlq-destination says.
        assertThat(StartChecks.exactlyOnceSinks(settings(
                        "--datasets",
                        all,
                        "--dlq-destination",
                        "table",
                        "--kafka-bootstrap",
                        "k:9092",
                        "--dlq-kafka-topic",
                        "dlq")))
                .isEqualTo(4);
        assertThat(StartChecks.exactlyOnceSinks(
                        settings("--datasets", all, "--dlq-destination", "table", "--delivery", "at-least-once")))
                .isZero();
    }

    @Test
    void twoSlotsPerWriterSubtaskOfEachSinkAndWhatOthersHoldIsNotFree() {
        assertThat(PreparedTransactionSlots.needed(5, 2)).isEqualTo(20);
        assertThat(PreparedTransactionSlots.shortage(new Server(20, 0), 5, 2, URL))
                .isEmpty();
        assertThat(PreparedTransactionSlots.shortage(new Server(24, 5), 5, 2, URL))
                .contains(
                        "exactly-once needs up to 20 prepared transactions (2 per writer subtask of each of 5 PostgreSQL "
                                + "sinks at parallelism 2), but the PostgreSQL server at " + URL + " has "
                                + "max_prepared_transactions = 24, 5 of them held by other prepared transactions. Raise it to "
                                + "at least 25 (ALTER SYSTEM SET max_prepared_transactions = 25; then restart the server), "
                                + "lower --parallelism, or run with --delivery at-least-once.");
        assertThat(PreparedTransactionSlots.shortage(new Server(1, 0), 1, 1, URL)
                        .orElseThrow())
                .startsWith("exactly-once needs up to 2 prepared transactions (2 per writer subtask of each of 1 "
                        + "PostgreSQL sink at parallelism 1)");
    }
}
