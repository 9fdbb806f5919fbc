package dev.marketdata.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.provider.ProviderInput;
import dev.marketdata.sources.provider.live.LiveSettings;
import dev.marketdata.sources.provider.live.OverflowPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options of {@code --live}: defaults, the backfill start, and what is refused at start. */
class LiveOptionsTest {

    private static final Map<String, String> ENV =
            Map.of("POLYGON_API_KEY", "pk_live_option_test", "APCA_API_KEY_ID", "id", "APCA_API_SECRET_KEY", "secret");

    private static JobSettings settings(String... args) {
        return JobSettings.from(CommandLine.parse(args, MarketDataOptions.ALL), ENV);
    }

    @Test
    void defaultsAndTheBackfillStart() {
        JobSettings plain =
                settings("--source", "polygon", "--live", "--tickers", "AAPL", "--jdbc-url", "jdbc:postgresql://db/md");
        LiveSettings live = plain.live();
        assertThat(plain.bounded()).isFalse();
        assertThat(live.webSocketUrl()).isEqualTo("wss://socket.massive.com/stocks");
        assertThat(live.bufferCapacity()).isEqualTo(10_000);
        assertThat(live.overflow()).isEqualTo(OverflowPolicy.BLOCK);
        assertThat(live.backfillFrom()).isEmpty();
        assertThat(live.dataTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(live.renewal()).isEqualTo(Duration.ofMinutes(8));

        LiveSettings from = settings(
                        "--source",
                        "alpaca",
                        "--live",
                        "--tickers",
                        "AAPL",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--from",
                        "2024-03-01T14:30:00Z",
                        "--overflow",
                        "drop-oldest",
                        "--live-buffer",
                        "500")
                .live();
        assertThat(from.webSocketUrl()).isEqualTo("wss://stream.data.alpaca.markets/v2/iex");
        assertThat(from.backfillFrom()).contains(Instant.parse("2024-03-01T14:30:00Z"));
        assertThat(from.overflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
        assertThat(from.bufferCapacity()).isEqualTo(500);
        assertThat(settings("--source", "ibkr", "--live", "--tickers", "AAPL", "--jdbc-url", "jdbc:postgresql://db/md")
                        .live()
                        .webSocketUrl())
                .isEqualTo("wss://localhost:5000/v1/api/ws");
    }

    @Test
    void refusesAtStartWhatCannotStream() {
        assertThatThrownBy(() -> settings(
                        "--source",
                        "polygon",
                        "--live",
                        "--tickers",
                        "AAPL",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--from",
                        "2024-03-01",
                        "--to",
                        "2024-03-02"))
                .hasMessage("--live streams until stopped: leave --to out");
        assertThatThrownBy(() -> settings(
                        "--source",
                        "polygon",
                        "--live",
                        "--tickers",
                        "AAPL",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--timeframe",
                        "5m"))
                .hasMessage("--live streams 1-minute bars: --timeframe 1m, not 5m");
        assertThatThrownBy(() -> settings("--source", "synthetic", "--live", "--jdbc-url", "jdbc:postgresql://db/md"))
                .hasMessage("--live goes with --source polygon, alpaca or ibkr, not synthetic");
        assertThatThrownBy(() -> settings(
                        "--source",
                        "polygon",
                        "--live",
                        "--tickers",
                        "AAPL",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--datasets",
                        "bars,news"))
                .hasMessage("--live streams bars only: --datasets bars");
        assertThatThrownBy(() -> settings(
                        "--source",
                        "polygon",
                        "--live",
                        "--tickers",
                        "AAPL",
                        "--jdbc-url",
                        "jdbc:postgresql://db/md",
                        "--live-buffer",
                        "0"))
                .hasMessage("--live-buffer must be positive, got 0");

        JobSettings sipStream = settings(
                "--source",
                "alpaca",
                "--live",
                "--tickers",
                "AAPL",
                "--jdbc-url",
                "jdbc:postgresql://db/md",
                "--alpaca-ws-url",
                "wss://stream.data.alpaca.markets/v2/sip");
        assertThatThrownBy(() -> ProviderInput.liveSource(sipStream.source(), sipStream.provider(), sipStream.live()))
                .hasMessage("--alpaca-ws-url streams the sip feed but --alpaca-feed is iex: gap repair must fetch "
                        + "the stream's own feed");
        JobSettings six = settings(
                "--source", "ibkr", "--live", "--tickers", "A,B,C,D,E,F", "--jdbc-url", "jdbc:postgresql://db/md");
        assertThatThrownBy(() -> ProviderInput.liveSource(six.source(), six.provider(), six.live()))
                .hasMessage("--live with --source ibkr streams at most 5 tickers (the gateway's limit of "
                        + "streaming-history subscriptions), got 6");
    }
}
