package dev.marketdata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.bench.BenchMain.Options;
import dev.marketdata.bench.BenchMain.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchOptionsTest {

    @Test
    void defaultsAreTheIssuesBenchmark() {
        Options o = Options.parse(new String[0]);
        assertThat(o.rows()).isEqualTo(1_000_000);
        assertThat(o.symbols()).isEqualTo(500);
        assertThat(o.parallelisms()).containsExactly(1, 2);
        assertThat(o.only()).containsExactlyElementsOf(BenchMain.SCENARIOS);
        assertThat(o.jdbcUrl()).isNull();
        assertThat(o.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.database()).isEqualTo("mds_bench");
        assertThat(o.variants()).isEmpty();
    }

    @Test
    void parsesSubsetsVariantsAndDurations() {
        Options o = Options.parse(new String[] {
            "--rows",
            "20,000",
            "--symbols=100",
            "--only",
            "copy,latency",
            "--parallelism",
            "2",
            "--checkpoint-interval",
            "500ms",
            "--variant",
            "big:sink.batch.max-rows=20000",
            "--variant=reuse:flink:pipeline.object-reuse=true",
            "--profile"
        });
        assertThat(o.rows()).isEqualTo(20_000);
        assertThat(o.symbols()).isEqualTo(100);
        assertThat(o.only()).containsExactly("copy", "latency-alo", "latency-eo");
        assertThat(o.parallelisms()).containsExactly(2);
        assertThat(o.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.profile()).isTrue();
        assertThat(o.variants())
                .containsExactly(
                        new Variant("big", Map.of("sink.batch.max-rows", "20000"), Map.of()),
                        new Variant("reuse", Map.of(), Map.of("pipeline.object-reuse", "true")));
    }

    @Test
    void rejectsWhatCannotBeRun() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--rows", "1001", "--symbols", "500"}))
                .hasMessageContaining("multiple");
        assertThatThrownBy(() -> Options.parse(new String[] {"--only", "copy,fast"}))
                .hasMessageContaining("fast");
        assertThatThrownBy(() -> Options.parse(new String[] {"--turbo"})).hasMessageContaining("--turbo");
        assertThatThrownBy(() -> Options.parse(new String[] {"--variant", "noequals"}))
                .hasMessageContaining("NAME:");
    }

    @Test
    void urlsKeepTheirParametersAndChangeDatabase() {
        PgUrl url = PgUrl.parse("jdbc:postgresql://db.example:6543/postgres?user=ingest&ssl=true");
        assertThat(url.host()).isEqualTo("db.example");
        assertThat(url.port()).isEqualTo(6543);
        assertThat(url.user()).isEqualTo("ingest");
        assertThat(url.withDatabase("mds_bench")
                        .with("reWriteBatchedInserts", "true")
                        .jdbc())
                .isEqualTo(
                        "jdbc:postgresql://db.example:6543/mds_bench?user=ingest&ssl=true&reWriteBatchedInserts=true");
        assertThat(PgUrl.parse("jdbc:postgresql://h/d?password=secret").toString())
                .doesNotContain("secret");
    }

    @Test
    void theCsvHoldsTheSameBarsAsTheFingerprint(@TempDir Path dir) throws Exception {
        BenchInput input = new BenchInput(3, 4);
        Path csv = dir.resolve("bars.csv");
        input.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(12);
        // Time-major: every symbol's first bar, then every symbol's second bar.
        assertThat(lines.subList(0, 4))
                .extracting(l -> l.split(",")[0] + " " + l.split(",")[2])
                .containsExactly(
                        "SYN0000 2024-01-02T14:30:00Z",
                        "SYN0001 2024-01-02T14:30:00Z",
                        "SYN0002 2024-01-02T14:30:00Z",
                        "SYN0000 2024-01-02T14:31:00Z");
        assertThat(lines.get(0).split(",", -1)).hasSize(11);
        Fingerprint fp = input.fingerprint();
        assertThat(fp.rows()).isEqualTo(12);
        assertThat(fp.closeCents())
                .isEqualTo(lines.stream()
                        .mapToLong(l -> Math.round(Double.parseDouble(l.split(",")[6]) * 100))
                        .sum());
    }
}
