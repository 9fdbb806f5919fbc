package dev.marketdata.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.job.cli.CommandLine;
import dev.marketdata.job.cli.JobSettings;
import dev.marketdata.job.cli.MarketDataOptions;
import dev.marketdata.job.local.FreePorts;
import dev.marketdata.job.testing.ExpectedSynthetic;
import dev.marketdata.job.testing.PostgresTestDatabase;
import dev.marketdata.job.testing.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code bin/} script, run from the packaged tree the way the README tells a user to: {@code bin/NAME ...}
 * from the repository root, and by its full path from another working directory. Nothing is called in-process, so
 * a script that looks for a jar, a class or a path that moved fails here.
 */
class BinScriptsITCase {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @TempDir
    Path work;

    @Test
    void everyScriptPrintsItsHelp() throws Exception {
        markBenchBuilt();
        for (String script : List.of("run-local", "replay-dlq", "migrate", "bench")) {
            Run help = run(ROOT, "bin/" + script, "--help");
            assertThat(help.status()).as(script + ": " + help.output()).isZero();
            assertThat(help.output()).as(script).contains("Usage: bin/" + script);
        }
        assertThat(run(ROOT, "bin/migrate", "--help").output())
                .contains("info ", "migrate ", "validate ", "repair ", "--jdbc-url URL", "--jdbc-password-file FILE");
    }

    /**
     * An operator's day: the schema applied ahead of the job, a run whose rows a constraint refuses into the
     * dead-letter queue, the constraint dropped, the dead letters replayed, each script from another directory.
     */
    @Test
    void migrateRunReplayAndInfoOnARealDatabase() throws Exception {
        Path dlq = work.resolve("dlq");
        Run migrate = run(work, script("migrate"), "--jdbc-url", DB.jdbcUrl());
        assertThat(migrate.status()).as(migrate.output()).isZero();
        assertThat(migrate.output()).contains("[migrate] Applied [V1__create_bars.sql");
        DB.execute("ALTER TABLE bars ADD CONSTRAINT poison CHECK (trades % 23 <> 0)");

        List<String> job = List.of(
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
                "--checkpoint-interval",
                "300ms",
                "--sink.batch.max-rows",
                "50",
                "--restart-attempts",
                "0");
        List<String> runLocal = new ArrayList<>(List.of(
                script("run-local"),
                "--web-port",
                Integer.toString(FreePorts.take()),
                "--metrics-port",
                Integer.toString(FreePorts.take())));
        runLocal.addAll(job);
        Run run = run(work, runLocal.toArray(String[]::new));
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("[run-local] Schema up to date\n", "[run-local] Job finished");

        ExpectedSynthetic expected = ExpectedSynthetic.of(
                JobSettings.from(CommandLine.parse(job.toArray(String[]::new), MarketDataOptions.ALL), Map.of())
                        .synthetic());
        long refused =
                expected.validBars().stream().filter(b -> b.trades() % 23 == 0).count();
        assertThat(refused).isPositive();
        assertThat(DB.count("bars")).isEqualTo(expected.validBars().size() - refused);

        DB.execute("ALTER TABLE bars DROP CONSTRAINT poison");
        Run replay = run(
                work,
                script("replay-dlq"),
                "--dlq-dir",
                dlq.toString(),
                "--jdbc-url",
                DB.jdbcUrl(),
                "--reason",
                "23514");
        assertThat(replay.status()).as(replay.output()).isZero();
        assertThat(replay.output())
                .contains(String.format("%-10s %-24s %9d %9d %13d %14d%n", "bars", "23514", refused, refused, 0, 0));
        assertThat(Tables.bars(DB)).containsExactlyInAnyOrderElementsOf(expected.validBars());

        Run info = run(work, script("migrate"), "info", "--jdbc-url", DB.jdbcUrl());
        assertThat(info.status()).as(info.output()).isZero();
        assertThat(info.output().lines().filter(l -> l.matches("\\d+ +.*")))
                .isNotEmpty()
                .allMatch(l -> l.contains(" Success "));
    }

    @Test
    void aScriptWithoutTheBuildSaysHowToBuild() throws Exception {
        // A copy of bin/ in a tree with nothing built: the message a fresh clone gets.
        Path tree = work.resolve("fresh-clone");
        Files.createDirectories(tree.resolve("bin/lib"));
        for (String file : List.of("bin/replay-dlq", "bin/lib/common.sh")) {
            Files.copy(ROOT.resolve(file), tree.resolve(file));
        }
        Run run = run(work, tree.resolve("bin/replay-dlq").toString(), "--help");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.output())
                .isEqualTo("error: the job is not built; run 'mvn -q -DskipTests package' in " + tree + " first\n");
    }

    private static String script(String name) {
        return ROOT.resolve("bin").resolve(name).toString();
    }

    /**
     * The reactor has just packaged the bench module, as bin/bench would before its first run; its stamp says so,
     * so that the script does not start a Maven build inside this one.
     */
    private static void markBenchBuilt() throws IOException {
        Path target = ROOT.resolve("bench/target");
        assertThat(target.resolve("classes")).isDirectory();
        assertThat(target.resolve("bench-classpath.txt")).isRegularFile();
        Path stamp = target.resolve("bench-built.stamp");
        if (!Files.exists(stamp)) {
            Files.createFile(stamp);
        }
    }

    private record Run(int status, String output) {}

    private static Run run(Path directory, String... command) throws Exception {
        Path log = Files.createTempFile("bin-script", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().remove("MDS_JDBC_PASSWORD");
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish:\n" + Files.readString(log));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
