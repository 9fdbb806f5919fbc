package dev.marketdata.job.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.core.SourceKind;
import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.ProviderSettings;
import dev.marketdata.sources.provider.ProviderSource;
import dev.marketdata.sources.provider.alpaca.AlpacaBarsProtocol;
import dev.marketdata.sources.provider.ibkr.IbkrBarsProtocol;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class ProviderInputAlpacaIbkrTest {

    private static Configuration window() {
        Configuration options = new Configuration();
        options.set(ProviderOptions.TICKERS, "AAPL,BRK.B");
        options.set(ProviderOptions.FROM, "2024-03-04");
        options.set(ProviderOptions.TO, "2024-03-04");
        return options;
    }

    @Test
    void alpacaLooksTickersUpOnTheTradingHostAndSendsTheFeed() {
        Configuration options = window();
        options.set(ProviderOptions.ALPACA_URL, "http://127.0.0.1:1/data");
        options.set(ProviderOptions.ALPACA_TRADING_URL, "http://127.0.0.1:2/trading");
        options.set(ProviderOptions.ALPACA_FEED, ProviderOptions.AlpacaFeed.SIP);
        options.set(ProviderOptions.ALPACA_OPTIONS_FEED, ProviderOptions.AlpacaOptionsFeed.INDICATIVE);

        ProviderSettings settings = ProviderInput.settings(
                SourceKind.ALPACA, options, Map.of("APCA_API_KEY_ID", "PKID", "APCA_API_SECRET_KEY", "s3cret"));
        ProviderSource<Bar> source = ProviderInput.source(SourceKind.ALPACA, Dataset.BARS, settings);

        assertThat(settings.baseUrl()).isEqualTo("http://127.0.0.1:1/data");
        assertThat(settings.options())
                .isEqualTo(Map.of(
                        "feed", "sip", "options-feed", "indicative", "trading-url", "http://127.0.0.1:2/trading"));
        assertThat(ProviderInput.source(SourceKind.ALPACA, Dataset.OPTIONS, settings)
                        .protocol()
                        .pageRequest(
                                new PageQuery("AAPL", "AAPL", settings.from(), settings.to(), settings.options()),
                                Optional.empty())
                        .pathAndQuery())
                .isEqualTo("/v1beta1/options/snapshots/AAPL?feed=indicative");
        assertThat(settings.requestsPerMinute()).isEqualTo(10_000);
        assertThat(settings.from()).isEqualTo(Instant.parse("2024-03-04T05:00:00Z"));
        assertThat(source.protocol().transport()).isInstanceOf(AlpacaBarsProtocol.class);
        assertThat(source.protocol().transport().lookupBaseUrl()).isEqualTo(Optional.of("http://127.0.0.1:2/trading"));
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void alpacaNeedsBothKeys() {
        assertThatThrownBy(() -> ProviderInput.settings(SourceKind.ALPACA, window(), Map.of("APCA_API_KEY_ID", "x")))
                .hasMessage("--source alpaca needs a key: set APCA_API_KEY_ID and APCA_API_SECRET_KEY or give "
                        + "--alpaca-key-file");
    }

    @Test
    void ibkrNeedsNoKeyAndTrustsTheGatewayOnlyWhenAsked() {
        Configuration options = window();
        ProviderSettings plain = ProviderInput.settings(SourceKind.IBKR, options, Map.of());
        options.set(ProviderOptions.IBKR_TRUST_SELF_SIGNED, true);
        ProviderSettings trusting = ProviderInput.settings(SourceKind.IBKR, options, Map.of());

        assertThat(plain.baseUrl()).isEqualTo("https://localhost:5000/v1/api");
        assertThat(plain.credentials().isEmpty()).isTrue();
        assertThat(plain.requestsPerMinute()).isEqualTo(600);
        assertThat(plain.http().trustSelfSigned()).isFalse();
        assertThat(trusting.http().trustSelfSigned()).isTrue();
        assertThat(ProviderInput.source(SourceKind.IBKR, Dataset.BARS, plain)
                        .protocol()
                        .transport())
                .isInstanceOf(IbkrBarsProtocol.class);
    }
}
