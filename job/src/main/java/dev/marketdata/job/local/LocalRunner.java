package dev.marketdata.job.local;

import static dev.marketdata.job.cli.MarketDataOptions.CHECKPOINT_DIR;
import static dev.marketdata.job.cli.MarketDataOptions.DELIVERY;
import static dev.marketdata.job.cli.MarketDataOptions.DISCARD_PREPARED_TRANSACTIONS;
import static dev.marketdata.job.cli.MarketDataOptions.JDBC_URL;
import static dev.marketdata.job.cli.MarketDataOptions.METRICS_PORT;
import static dev.marketdata.job.cli.MarketDataOptions.RESTORE;
import static dev.marketdata.job.cli.MarketDataOptions.WEB_PORT;

import dev.marketdata.job.MarketDataJob;
import dev.marketdata.job.StartChecks;
import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.core.Delivery;
import dev.marketdata.job.dlq.DeadLetterFiles;
import dev.marketdata.job.local.LocalDatabase.NoDatabaseException;
import dev.marketdata.job.schema.SchemaMigrator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/run-local}: runs the job in an embedded Flink cluster with the web UI and the Prometheus endpoint,
 * against the given database or a local one, and exits 0 when a bounded job finishes, non-zero when it fails.
 */
public final class LocalRunner {

    static final int DEFAULT_PARALLELISM = 2;
    /** Where bin/run-local keeps the data of the private server it starts when there is no other. */
    public static final Path PRIVATE_DATA_DIR = Path.of(".mds", "postgres");

    static final Path DEFAULT_CHECKPOINT_DIR = Path.of(".mds", "checkpoints");
    /** Savepoints taken on Ctrl-C go here, under the checkpoint directory, where --restore latest looks. */
    static final String SAVEPOINTS = "savepoints";

    private static final Logger LOG = LoggerFactory.getLogger(LocalRunner.class);

    private LocalRunner() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (CommandLine.wantsHelp(args)) {
            out.print(CommandLine.help("bin/run-local", MarketDataOptions.ALL));
            return 0;
        }
        Configuration options;
        try {
            options = CommandLine.parse(args, MarketDataOptions.ALL);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        for (var port : List.of(WEB_PORT, METRICS_PORT)) {
            if (!isFree(options.get(port))) {
                err.println("error: port " + options.get(port) + " is in use (another Flink or run-local?); stop "
                        + "it or choose another with --" + port.key());
                return 2;
            }
        }
        if (options.getOptional(CHECKPOINT_DIR).isEmpty()) {
            options.set(CHECKPOINT_DIR, DEFAULT_CHECKPOINT_DIR.toAbsolutePath().toString());
        }
        LocalDatabase database = null;
        try {
            String restorePath = options.getOptional(RESTORE)
                    .map(restore -> RetainedCheckpoints.resolve(restore, options.get(CHECKPOINT_DIR)))
                    .orElse(null);
            // Every option is checked before a database is chosen, let alone started: a bad option is its one
            // line and exit 2, with no server touched. Without --jdbc-url they are checked with the first
            // database LocalDatabase tries, and read again (the same, but for --jdbc-url) once one is chosen.
            JobSettings settings = JobSettings.from(withDefaultJdbcUrl(options), System.getenv());
            if (options.getOptional(JDBC_URL).isEmpty()) {
                database = LocalDatabase.resolveForRun(
                        options.get(DELIVERY) == Delivery.EXACTLY_ONCE, PRIVATE_DATA_DIR, out);
                options.set(JDBC_URL, database.jdbcUrl());
                settings = JobSettings.from(options, System.getenv());
            }
            List<String> applied;
            try {
                applied = SchemaMigrator.migrate(settings.jdbc());
            } catch (SQLException e) {
                err.println("error: cannot prepare the database at "
                        + settings.jdbc().redactedUrl() + ": " + e.getMessage());
                return 2;
            }
            say(out, "Schema up to date" + (applied.isEmpty() ? "" : ", applied " + applied));
            String refused = StartChecks.whyDeliveryIsImpossible(settings, parallelism(settings));
            if (refused == null) {
                refused = StartChecks.whyAFreshStartIsRefused(
                        settings,
                        restorePath != null,
                        options.get(DISCARD_PREPARED_TRANSACTIONS),
                        line -> say(out, line));
            }
            if (refused != null) {
                // At INFO: the console shows warnings and errors, and the line is there already.
                LOG.info("Refused to start: {}", refused);
                err.println("error: " + refused);
                return 2;
            }

            execute(settings, options, restorePath, database, out, err);
            return 0;
        } catch (NoDatabaseException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            Throwable root = ExceptionUtils.stripException(e, RuntimeException.class);
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            LOG.info("Job failed", e);
            err.println("[run-local] Job failed: " + root);
            return 1;
        } finally {
            closeQuietly(database);
        }
    }

    /** The options, with {@link LocalDatabase#DEFAULT_URL} as {@code --jdbc-url} when none is given. */
    private static Configuration withDefaultJdbcUrl(Configuration options) {
        Configuration checked = new Configuration(options);
        if (checked.getOptional(JDBC_URL).isEmpty()) {
            checked.set(JDBC_URL, LocalDatabase.DEFAULT_URL);
        }
        return checked;
    }

    /** Runs the job in an embedded cluster until it finishes; Ctrl-C stops it with a savepoint. */
    private static void execute(
            JobSettings settings,
            Configuration options,
            String restorePath,
            LocalDatabase privateDatabase,
            PrintStream out,
            PrintStream err)
            throws Exception {
        Configuration cluster = clusterConfiguration(settings, options.get(WEB_PORT), options.get(METRICS_PORT));
        if (restorePath != null) {
            cluster.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
            say(out, "Resuming from " + restorePath);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(cluster);
        MarketDataJob.wire(env, settings);
        say(
                out,
                "Flink web UI: http://localhost:" + options.get(WEB_PORT)
                        + "   Prometheus: http://localhost:" + options.get(METRICS_PORT) + "/metrics"
                        + (settings.bounded() ? "" : "   (unbounded: Ctrl-C stops it)"));
        long start = System.nanoTime();
        JobClient job = env.executeAsync(settings.jobName());
        // One hook, so the steps run in order: the savepoint commits the last transactions while the
        // database (possibly our private server) is still up.
        Thread onCtrlC = new Thread(
                () -> {
                    stopWithSavepoint(job, savepointDirectory(options.get(CHECKPOINT_DIR)), out, err);
                    closeQuietly(privateDatabase);
                },
                "run-local-shutdown");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            job.getJobExecutionResult().get();
        } finally {
            removeQuietly(onCtrlC);
        }
        RetainedCheckpoints.discardFinished(
                options.get(CHECKPOINT_DIR), job.getJobID().toHexString());
        say(out, String.format("Job finished in %.1f s", (System.nanoTime() - start) / 1e9));
    }

    /**
     * Ctrl-C on a running job: stop it with a savepoint, which commits its last transactions and publishes its
     * last dead-letter files, so nothing is left prepared and {@code --restore latest} resumes exactly there.
     */
    private static void stopWithSavepoint(JobClient job, String savepointDir, PrintStream out, PrintStream err) {
        try {
            if (job.getJobStatus().get(5, TimeUnit.SECONDS).isGloballyTerminalState()) {
                return;
            }
            say(out, "Stopping with a savepoint ...");
            String path = job.stopWithSavepoint(false, savepointDir, SavepointFormatType.CANONICAL)
                    .get(2, TimeUnit.MINUTES);
            say(out, "Stopped with a savepoint at " + path + "; resume with --restore latest");
        } catch (Exception e) {
            String line = "Could not stop with a savepoint (" + e + "); --restore latest resumes from the last "
                    + "checkpoint instead";
            LOG.info(line, e);
            err.println("[run-local] " + line);
        }
    }

    /**
     * A line of the run for the user, on the console, and also in the log (.mds/logs/run-local.log), which must
     * tell the whole story of a run after it ended, however it ended.
     */
    private static void say(PrintStream out, String line) {
        LOG.info(line);
        out.println("[run-local] " + line);
    }

    private static int parallelism(JobSettings settings) {
        return settings.parallelism() == null ? DEFAULT_PARALLELISM : settings.parallelism();
    }

    static String savepointDirectory(String checkpointDir) {
        return DeadLetterFiles.toUri(checkpointDir).replaceAll("/+$", "") + "/" + SAVEPOINTS;
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is already running.
        }
    }

    /** The embedded cluster: one slot per parallel subtask, web UI and REST on localhost, Prometheus reporter. */
    static Configuration clusterConfiguration(JobSettings settings, int webPort, int metricsPort) {
        Configuration conf = settings.flinkConfiguration();
        int parallelism = parallelism(settings);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(RestOptions.PORT, webPort);
        conf.set(
                ConfigOptions.key("metrics.reporter.prom.factory.class")
                        .stringType()
                        .noDefaultValue(),
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.set(
                ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue(),
                Integer.toString(metricsPort));
        return conf;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(LocalDatabase database) {
        if (database != null) {
            try {
                database.close();
            } catch (Exception e) {
                System.err.println("[run-local] Could not stop the private PostgreSQL: " + e.getMessage());
            }
        }
    }
}
