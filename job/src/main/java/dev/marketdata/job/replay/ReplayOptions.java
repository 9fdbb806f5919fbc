package dev.marketdata.job.replay;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.cli.MarketDataOptions.Flag;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** The options of {@code bin/replay-dlq}; the database ones are the job's own. */
public final class ReplayOptions {

    private ReplayOptions() {}

    public static final ConfigOption<String> DLQ_DIR = key("dlq-dir")
            .stringType()
            .noDefaultValue()
            .withDescription("The dead-letter directory the job wrote (its --dlq-dir): one folder per data set of "
                    + "NDJSON files. Required.");

    public static final ConfigOption<String> REASON = key("reason")
            .stringType()
            .noDefaultValue()
            .withDescription("Replay only dead letters with this reason (a SQLState like 23514, or a validation "
                    + "code like HIGH_BELOW_LOW); all of them when absent.");

    public static final ConfigOption<Boolean> DRY_RUN = key("dry-run")
            .booleanType()
            .defaultValue(false)
            .withDescription(
                    "Print how many dead letters would be replayed, by data set and reason, and change " + "nothing.");

    public static final List<Flag> ALL = List.of(
            new Flag("Replay", DLQ_DIR, "DIR"),
            new Flag("Replay", REASON, "REASON"),
            new Flag("Replay", DRY_RUN, ""),
            new Flag("Database", MarketDataOptions.JDBC_URL, "URL"),
            new Flag("Database", MarketDataOptions.JDBC_USER, "ROLE"),
            new Flag("Database", MarketDataOptions.JDBC_PASSWORD_FILE, "FILE"));
}
