package dev.marketdata.job.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/migrate's command line, before it reaches a database. */
class MigrateCommandTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:1/none";

    @Test
    void aMissingPasswordFileIsOneLineAndExitStatus2NotAStackTrace(@TempDir Path dir) {
        Path missing = dir.resolve("pw");

        Output run = run("--jdbc-url", URL, "--jdbc-password-file", missing.toString(), "info");

        assertThat(run)
                .isEqualTo(new Output(
                        2,
                        "",
                        "error: cannot read --jdbc-password-file " + missing + ": no such file"
                                + System.lineSeparator()));
    }

    @Test
    void aWordThatIsNoCommandIsNamedAsAnUnknownCommand() {
        String unknown = "error: unknown command 'infos'; the commands are info, migrate, validate, repair (see --help)"
                + System.lineSeparator();
        assertThat(run("--jdbc-url", URL, "infos")).isEqualTo(new Output(2, "", unknown));
        assertThat(run("infos", "--jdbc-url", URL)).isEqualTo(new Output(2, "", unknown));
        // A missing value is still the option's error.
        assertThat(run("info", "--jdbc-url"))
                .isEqualTo(new Output(2, "", "error: --jdbc-url needs a value" + System.lineSeparator()));
    }

    private record Output(int status, String out, String err) {}

    private static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MigrateCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
