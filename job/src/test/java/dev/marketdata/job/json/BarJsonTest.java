package dev.marketdata.job.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.model.Bar;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BarJsonTest {

    private final BarJson json = new BarJson();

    @Test
    void readsTheDocumentedExample() throws Exception {
        Bar bar = json.read(
                Json.MAPPER.readTree("{\"symbol\":\"AAPL\",\"timeframe\":\"1m\",\"ts\":\"2024-03-01T14:30:00Z\","
                        + "\"open\":182.1,\"high\":182.5,\"low\":181.9,\"close\":182.3,\"volume\":120345,\"vwap\":182.2,"
                        + "\"trades\":812,\"provider\":\"polygon\"}"));
        assertThat(bar)
                .isEqualTo(new Bar(
                        "AAPL",
                        "1m",
                        Instant.parse("2024-03-01T14:30:00Z"),
                        182.1,
                        182.5,
                        181.9,
                        182.3,
                        120345,
                        182.2,
                        812L,
                        "polygon"));
    }

    @Test
    void optionalFieldsMayBeAbsent() throws Exception {
        Bar bar = json.read(
                Json.MAPPER.readTree("{\"symbol\":\"AAPL\",\"timeframe\":\"1m\",\"ts\":\"2024-03-01T14:30:00Z\","
                        + "\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"volume\":0}"));
        assertThat(bar.vwap()).isNull();
        assertThat(bar.trades()).isNull();
        assertThat(bar.provider()).isEqualTo(BarJson.UNKNOWN_PROVIDER);
    }

    @Test
    void writesWhatItReads() throws Exception {
        Bar bar = new Bar(
                "BRK.B",
                "5m",
                Instant.parse("2024-03-01T14:35:00Z"),
                0.1,
                0.30000000000000004,
                0.05,
                0.2,
                1.5e9,
                null,
                null,
                "alpaca");
        String text = Json.toJson(json, bar);
        assertThat(text)
                .isEqualTo("{\"symbol\":\"BRK.B\",\"timeframe\":\"5m\",\"ts\":\"2024-03-01T14:35:00Z\","
                        + "\"open\":0.1,\"high\":0.30000000000000004,\"low\":0.05,\"close\":0.2,\"volume\":1.5E9,"
                        + "\"vwap\":null,\"trades\":null,\"provider\":\"alpaca\"}");
        assertThat(json.read(Json.MAPPER.readTree(text))).isEqualTo(bar);
    }

    @Test
    void namesTheFieldThatIsMissingOrWrong() {
        assertThatThrownBy(() -> json.read(Json.MAPPER.readTree("{\"symbol\":\"AAPL\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing required field 'timeframe'");
        assertThatThrownBy(() -> json.read(Json.MAPPER.readTree("{\"symbol\":\"AAPL\",\"timeframe\":\"1m\","
                        + "\"ts\":\"2024-03-01T14:30:00Z\",\"open\":\"1\"}")))
                .hasMessage("field 'open' must be a number, got STRING");
        assertThatThrownBy(() -> json.read(
                        Json.MAPPER.readTree("{\"symbol\":\"AAPL\",\"timeframe\":\"1m\"," + "\"ts\":\"yesterday\"}")))
                .hasMessage("field 'ts' must be an RFC 3339 UTC time, got 'yesterday'");
        assertThatThrownBy(() -> json.read(Json.MAPPER.readTree("{\"symbol\":\"AAPL\",\"timeframe\":\"1m\","
                        + "\"ts\":\"2024-03-01T14:30:00Z\",\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"volume\":0,"
                        + "\"trades\":1.5}")))
                .hasMessage("field 'trades' must be an integer, got 1.5");
    }
}
