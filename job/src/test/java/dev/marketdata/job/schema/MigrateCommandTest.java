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

    @Test
    void aMissingPasswordFileIsOneLineAndExitStatus2NotAStackTrace(@TempDir Path dir) {
        Path missing = dir.resolve("pw");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = MigrateCommand.run(new String[] {"--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none",
                "--jdbc-password-file", missing.toString(), "info"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("error: cannot read --jdbc-password-file " + missing + ": no such file"
                        + System.lineSeparator());
    }
}
