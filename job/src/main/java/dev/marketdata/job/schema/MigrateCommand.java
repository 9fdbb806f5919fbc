package dev.marketdata.job.schema;

import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.cli.MarketDataOptions.Flag;
import dev.marketdata.job.sink.config.JdbcSettings;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.RepairResult;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * {@code bin/migrate}: the schema commands an operator runs on a database before (or instead of) the job doing it at
 * start, e.g. ahead of an upgrade. Exits 0 when done, 1 when the database or validation fails, 2 on a usage error.
 */
public final class MigrateCommand {

    static final String USAGE = "bin/migrate --jdbc-url URL [info|migrate|validate|repair]";

    /** What {@code bin/migrate} does; the word on its command line. */
    enum Command {
        INFO("list every migration: version, description, state (Success, Pending, Baseline, ...), when applied"),
        MIGRATE("apply the pending migrations, as the job does at start (the default)"),
        VALIDATE("check that the applied migrations are the ones in the jar, unchanged; exit 1 if not"),
        REPAIR("remove failed migrations from the history and realign checksums with the files in the jar");

        final String description;

        Command(String description) {
            this.description = description;
        }

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Command> of(String word) {
            return Arrays.stream(values()).filter(c -> c.word().equals(word)).findFirst();
        }
    }

    /** The job's --jdbc-url (same key, read by {@link JobSettings#jdbc}), described for this command. */
    static final ConfigOption<String> JDBC_URL = ConfigOptions.key(MarketDataOptions.JDBC_URL.key())
            .stringType()
            .noDefaultValue()
            .withDescription("PostgreSQL JDBC URL of the database whose schema to manage, e.g. "
                    + "jdbc:postgresql://db:5432/marketdata. Required.");

    static final List<Flag> FLAGS = List.of(
            new Flag("Database", JDBC_URL, "URL"),
            new Flag("Database", MarketDataOptions.JDBC_USER, "ROLE"),
            new Flag("Database", MarketDataOptions.JDBC_PASSWORD_FILE, "FILE"));

    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private MigrateCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (CommandLine.wantsHelp(args)) {
            out.print(help());
            return 0;
        }
        Command command = Command.MIGRATE;
        List<String> options = List.of(args);
        // The command word stands first or last; everything else is --name value pairs.
        if (!options.isEmpty() && Command.of(options.get(0)).isPresent()) {
            command = Command.of(options.get(0)).get();
            options = options.subList(1, options.size());
        } else if (!options.isEmpty()
                && Command.of(options.get(options.size() - 1)).isPresent()
                && options.size() % 2 == 1) {
            command = Command.of(options.get(options.size() - 1)).get();
            options = options.subList(0, options.size() - 1);
        }
        // A word where the command stands that is no command (a typo such as 'infos') is named as such, not as
        // an option without its --name.
        if (!options.isEmpty()
                && (!options.get(0).startsWith("-")
                        || options.size() % 2 == 1
                                && !options.get(options.size() - 1).startsWith("-"))) {
            String word = options.get(0).startsWith("-") ? options.get(options.size() - 1) : options.get(0);
            err.println("error: unknown command '" + word + "'; the commands are "
                    + Arrays.stream(Command.values()).map(Command::word).collect(Collectors.joining(", "))
                    + " (see --help)");
            return 2;
        }
        JdbcSettings jdbc;
        try {
            jdbc = JobSettings.jdbc(CommandLine.parse(options.toArray(String[]::new), FLAGS), System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        try {
            Flyway flyway = SchemaMigrator.flyway(jdbc);
            out.println("[migrate] " + command.word() + " on " + jdbc.redactedUrl());
            return switch (command) {
                case INFO -> info(flyway, out);
                case MIGRATE -> migrate(jdbc, out);
                case VALIDATE -> validate(flyway, out, err);
                case REPAIR -> repair(flyway, out);
            };
        } catch (SQLException | FlywayException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int info(Flyway flyway, PrintStream out) {
        out.printf("%-8s %-40s %-10s %-18s %s%n", "Version", "Description", "Type", "State", "Installed on (UTC)");
        for (MigrationInfo m : flyway.info().all()) {
            out.printf(
                    "%-8s %-40s %-10s %-18s %s%n",
                    m.getVersion() == null ? "" : m.getVersion().getVersion(),
                    m.getDescription(),
                    m.getType(),
                    m.getState().getDisplayName(),
                    m.getInstalledOn() == null
                            ? ""
                            : UTC.format(m.getInstalledOn().toInstant()));
        }
        return 0;
    }

    private static int migrate(JdbcSettings jdbc, PrintStream out) throws SQLException {
        List<String> applied = SchemaMigrator.migrate(jdbc);
        out.println("[migrate] " + (applied.isEmpty() ? "Schema up to date, nothing applied" : "Applied " + applied));
        return 0;
    }

    private static int validate(Flyway flyway, PrintStream out, PrintStream err) {
        ValidateResult result = flyway.validateWithResult();
        if (!result.validationSuccessful) {
            err.println("error: " + result.getAllErrorMessages());
            return 1;
        }
        out.println("[migrate] Valid: " + result.validateCount + " migrations match the files in the jar");
        return 0;
    }

    private static int repair(Flyway flyway, PrintStream out) {
        RepairResult result = flyway.repair();
        out.println("[migrate] Repaired: "
                + (result.repairActions == null || result.repairActions.isEmpty()
                        ? "nothing to do"
                        : String.join(", ", result.repairActions)));
        return 0;
    }

    static String help() {
        StringBuilder text = new StringBuilder(CommandLine.help(USAGE, FLAGS));
        text.append("\nCommands (Flyway's; the migrations are sql/V*__*.sql, packed into the job jar):\n");
        for (Command c : Command.values()) {
            text.append(String.format("  %-9s %s%n", c.word(), c.description));
        }
        return text.toString();
    }
}
