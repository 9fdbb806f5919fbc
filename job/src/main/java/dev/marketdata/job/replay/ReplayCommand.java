package dev.marketdata.job.replay;

import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.local.LocalDatabase;
import dev.marketdata.job.local.LocalRunner;
import dev.marketdata.job.schema.SchemaMigrator;
import dev.marketdata.job.sink.config.JdbcSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import org.apache.flink.configuration.Configuration;

/**
 * {@code bin/replay-dlq}: replays dead-letter files into the database once the cause of their rejection is fixed
 * (see {@link DeadLetterReplay}). Exits 0 when done, 1 when the database or a file fails it, 2 on a usage error.
 */
public final class ReplayCommand {

    private ReplayCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (CommandLine.wantsHelp(args)) {
            out.print(CommandLine.help("bin/replay-dlq", ReplayOptions.ALL));
            return 0;
        }
        Configuration options;
        String dir;
        try {
            options = CommandLine.parse(args, ReplayOptions.ALL);
            dir = options.getOptional(ReplayOptions.DLQ_DIR)
                    .orElseThrow(() -> new IllegalArgumentException("--dlq-dir is required"));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        DeadLetterReplay replay = new DeadLetterReplay(
                DeadLetterFiles.toUri(dir),
                options.getOptional(ReplayOptions.REASON).orElse(null),
                System::currentTimeMillis);
        LocalDatabase database = null;
        try {
            if (options.get(ReplayOptions.DRY_RUN)) {
                out.println("[replay-dlq] Dry run: nothing is written");
                out.print(replay.dryRun().format());
                return 0;
            }
            if (options.getOptional(MarketDataOptions.JDBC_URL).isEmpty()) {
                // The database the last bin/run-local without --jdbc-url used.
                database = LocalDatabase.resolveForReplay(LocalRunner.PRIVATE_DATA_DIR, out);
                options.set(MarketDataOptions.JDBC_URL, database.jdbcUrl());
            }
            JdbcSettings jdbc = JobSettings.jdbc(options, System.getenv());
            SchemaMigrator.migrate(jdbc);
            out.println("[replay-dlq] Replaying " + dir + " into " + jdbc.redactedUrl());
            out.print(replay.replay(jdbc).format());
            return 0;
        } catch (LocalDatabase.NoDatabaseException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (SQLException | IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("error: " + e);
            return 1;
        } finally {
            if (database != null) {
                try {
                    database.close();
                } catch (Exception e) {
                    err.println("[replay-dlq] Could not stop the private PostgreSQL: " + e.getMessage());
                }
            }
        }
    }
}
