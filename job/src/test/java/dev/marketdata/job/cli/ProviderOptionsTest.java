package dev.marketdata.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.provider.ProviderInput;
import dev.marketdata.sources.provider.Credentials;
import dev.marketdata.sources.provider.ProviderSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider sources' options: window, tickers, credentials, defaults, and keys kept off the command line. */
class ProviderOptionsTest {

    private static final String KEY = "pk_option_test_s3cr3t";

    private static JobSettings settings(Map<String, String> env, String... args) {
        return JobSettings.from(CommandLine.parse(args, MarketDataOptions.ALL), env);
    }

    @Test
    void aDateIsAWholeNewYorkDayAndAnInstantIsExact() {
        ProviderSettings days = settings(
                        Map.of("POLYGON_API_KEY", KEY),
                        "--source",
                        "polygon",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--tickers",
                        "AAPL, MSFT,BRK.B,AAPL",
                        "--from",
                        "2024-03-08",
                        "--to",
                        "2024-03-11")
                .provider();
        assertThat(days.from()).isEqualTo(Instant.parse("2024-03-08T05:00:00Z"));
        assertThat(days.to()).isEqualTo(Instant.parse("2024-03-12T04:00:00Z"));
        assertThat(days.tickers()).containsExactly("AAPL", "MSFT", "BRK.B");
        assertThat(days.baseUrl()).isEqualTo("https://api.massive.com");
        assertThat(days.timeframe()).isEqualTo("1m");
        assertThat(days.requestsPerMinute()).isEqualTo(6000);
        assertThat(days.http().retryBudget()).isEqualTo(Duration.ofMinutes(10));
        assertThat(days.credentials().secret()).isEqualTo(KEY);

        ProviderSettings instants = settings(
                        Map.of("POLYGON_API_KEY", KEY),
                        "--source",
                        "polygon",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--tickers",
                        "AAPL",
                        "--from",
                        "2024-03-08T14:30:00Z",
                        "--to",
                        "2024-03-08T11:00:00-05:00",
                        "--requests-per-minute",
                        "5",
                        "--timeframe",
                        "1d")
                .provider();
        assertThat(instants.from()).isEqualTo(Instant.parse("2024-03-08T14:30:00Z"));
        assertThat(instants.to()).isEqualTo(Instant.parse("2024-03-08T16:00:00Z"));
        assertThat(instants.requestsPerMinute()).isEqualTo(5);
    }

    @Test
    void readsTickersAndTheKeyFromFilesAndShowsNeitherKeyInTheJobParameters(@TempDir Path dir) throws Exception {
        Path tickers = Files.writeString(dir.resolve("tickers.txt"), "# mine\nAAPL\n\n MSFT \n");
        Path key = Files.writeString(dir.resolve("polygon.key"), KEY + "\n");
        JobSettings settings = settings(
                Map.of(),
                "--source",
                "polygon",
                "--jdbc-url",
                "jdbc:postgresql://db/md",
                "--tickers-file",
                tickers.toString(),
                "--polygon-key-file",
                key.toString(),
                "--from",
                "2024-03-01",
                "--to",
                "2024-03-01");
        assertThat(settings.provider().tickers()).containsExactly("AAPL", "MSFT");
        assertThat(settings.provider().credentials().secret()).isEqualTo(KEY);
        assertThat(settings.bounded()).isTrue();
        assertThat(settings.shownParameters())
                .containsEntry("polygon-key-file", key.toString())
                .containsEntry("source", "polygon");
        assertThat(settings.shownParameters().toString()).doesNotContain(KEY);
        assertThat(settings.provider().toString()).doesNotContain(KEY);
    }

    @Test
    void aFileAnOptionNamesThatCannotBeReadIsABadOptionNamingTheOptionAndThePath(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing");
        Path key = Files.writeString(dir.resolve("polygon.key"), KEY + "\n");
        String[] polygon = {
            "--source", "polygon", "--jdbc-url", "jdbc:postgresql://db/md", "--from", "2024-03-01", "--to", "2024-03-01"
        };
        assertThatThrownBy(() -> settings(
                        Map.of(), concat(polygon, "--tickers", "AAPL", "--polygon-key-file", missing.toString())))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read --polygon-key-file " + missing + ": no such file");
        assertThatThrownBy(() -> settings(
                        Map.of(),
                        concat(polygon, "--tickers-file", missing.toString(), "--polygon-key-file", key.toString())))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read --tickers-file " + missing + ": no such file");
        assertThatThrownBy(() -> settings(
                        Map.of(), "--jdbc-url", "jdbc:postgresql://db/md", "--jdbc-password-file", missing.toString()))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read --jdbc-password-file " + missing + ": no such file");
        assertThatThrownBy(() -> settings(
                        Map.of(),
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--source",
                        "kafka",
                        "--kafka-bootstrap",
                        "localhost:9092",
                        "--kafka-properties-file",
                        dir.toString()))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read --kafka-properties-file " + dir + ": IOException");
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void refusesAKeyOnTheCommandLineAndAsksForOneWhenMissing() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--polygon-key", KEY}, MarketDataOptions.ALL))
                .hasMessageStartingWith("--polygon-key is not an option: keys never go on the command line")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> settings(
                        Map.of(),
                        "--source",
                        "polygon",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--tickers",
                        "AAPL",
                        "--from",
                        "2024-03-01",
                        "--to",
                        "2024-03-01"))
                .hasMessage("--source polygon needs a key: set POLYGON_API_KEY or give --polygon-key-file");
        assertThatThrownBy(() -> settings(
                        Map.of("POLYGON_API_KEY", KEY),
                        "--source",
                        "polygon",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--tickers",
                        "AAPL",
                        "--from",
                        "2024-03-05",
                        "--to",
                        "2024-03-01"))
                .hasMessageStartingWith("--from (2024-03-05T05:00:00Z) must be before --to");
        assertThatThrownBy(() -> settings(
                        Map.of("POLYGON_API_KEY", KEY),
                        "--source",
                        "polygon",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--from",
                        "2024-03-01",
                        "--to",
                        "2024-03-01"))
                .hasMessage("give the tickers with --tickers or --tickers-file (exactly one of them)");
        assertThat(settings(
                                Map.of("POLYGON_API_KEY", KEY),
                                "--source",
                                "polygon",
                                "--jdbc-url",
                                "jdbc:postgresql://db/md",
                                "--tickers",
                                "AAPL",
                                "--from",
                                "2024-03-01",
                                "--to",
                                "2024-03-01",
                                "--datasets",
                                "bars,options,fundamentals,news")
                        .datasets())
                .hasSize(4);
        assertThatThrownBy(() -> settings(
                        Map.of("APCA_API_KEY_ID", "id", "APCA_API_SECRET_KEY", "s"),
                        "--source",
                        "alpaca",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--tickers",
                        "AAPL",
                        "--from",
                        "2024-03-01",
                        "--to",
                        "2024-03-01",
                        "--datasets",
                        "bars,options,fundamentals,news"))
                .hasMessage("--source alpaca serves --datasets bars,options,news only, not fundamentals");
        assertThatThrownBy(() -> settings(
                        Map.of(),
                        "--source",
                        "ibkr",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--tickers",
                        "AAPL",
                        "--from",
                        "2024-03-01",
                        "--to",
                        "2024-03-01",
                        "--datasets",
                        "options,fundamentals,news"))
                .hasMessage("--source ibkr serves --datasets bars only, not options,fundamentals,news");
    }

    @Test
    void theDataSetsOfOneProviderShareItsRate() {
        ProviderSettings one = settings(
                        Map.of("POLYGON_API_KEY", KEY),
                        "--source",
                        "polygon",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--tickers",
                        "AAPL",
                        "--from",
                        "2024-03-01",
                        "--to",
                        "2024-03-01",
                        "--datasets",
                        "bars,news",
                        "--requests-per-minute",
                        "5")
                .provider();
        assertThat(ProviderInput.share(one, 2).requestsPerMinute()).isEqualTo(2);
        assertThat(ProviderInput.share(one, 1)).isEqualTo(one);
        assertThat(ProviderInput.share(ProviderInput.share(one, 2), 3).requestsPerMinute())
                .isEqualTo(1);
    }

    @Test
    void helpListsEveryProviderOption() {
        String help = CommandLine.help("bin/run-local", MarketDataOptions.ALL);
        assertThat(List.of(
                        "--tickers LIST",
                        "--tickers-file FILE",
                        "--from DATE|TIME",
                        "--to DATE|TIME",
                        "--timeframe 1m|5m|15m|30m|1h|1d",
                        "--polygon-url URL",
                        "--alpaca-url URL",
                        "--ibkr-url URL",
                        "--ibkr-trust-self-signed",
                        "--alpaca-feed iex|sip   (default: iex)",
                        "--alpaca-options-feed opra|indicative   (default: opra)",
                        "--requests-per-minute N",
                        "--provider.retry.budget DURATION   (default: 600s)",
                        "--polygon-key-file FILE",
                        "--alpaca-key-file FILE",
                        "--source synthetic|kafka|polygon|alpaca|ibkr"))
                .allSatisfy(flag -> assertThat(help).contains(flag));
        assertThat(Credentials.key(KEY).toString()).doesNotContain(KEY);
    }
}
