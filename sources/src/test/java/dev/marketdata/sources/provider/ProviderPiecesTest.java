package dev.marketdata.sources.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider framework's pure parts: splits and their checkpoint format, the calendar, headers, secrets. */
class ProviderPiecesTest {

    @Test
    void cutsAtNewYorkMidnightsSkipsWeekendsAndKeepsEachSplitToOnePage() {
        Instant from = Instant.parse("2024-03-08T05:00:00Z"); // Friday, EST
        Instant to = Instant.parse("2024-03-12T04:00:00Z"); // Tuesday 00:00 EDT
        assertThat(SplitPlanner.plan("AAPL", "AAPL", from, to, Duration.ofMinutes(1), 50_000))
                .extracting(ProviderSplit::from, ProviderSplit::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(from, Instant.parse("2024-03-09T05:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple(Instant.parse("2024-03-11T04:00:00Z"), to));
        // 1,440 minutes at 500 bars a page: three splits for the Friday.
        assertThat(SplitPlanner.plan(
                        "AAPL", "AAPL", from, Instant.parse("2024-03-09T05:00:00Z"), Duration.ofMinutes(1), 500))
                .extracting(ProviderSplit::to)
                .containsExactly(
                        from.plus(Duration.ofMinutes(500)),
                        from.plus(Duration.ofMinutes(1000)),
                        Instant.parse("2024-03-09T05:00:00Z"));
    }

    @Test
    void splitsSurviveTheirCheckpointFormat() throws Exception {
        ProviderSplitSerializer serializer = new ProviderSplitSerializer();
        Instant from = Instant.parse("2024-03-01T05:00:00Z");
        Instant to = Instant.parse("2024-03-02T05:00:00Z");
        List<ProviderSplit> splits = List.of(
                ProviderSplit.bars("AAPL", "265598", from, to),
                ProviderSplit.bars("AAPL", "265598", from, to)
                        .advancedTo("https://x/v2?cursor=é", Instant.parse("2024-03-01T14:31:00.123456789Z")),
                ProviderSplit.unknownTicker(
                        "NOPE",
                        from,
                        to,
                        new RejectedItem("{\"big\":\"" + "x".repeat(70_000) + "\"}", "UNKNOWN_TICKER", "no NOPE"),
                        "polygon GET /v3/reference/tickers/NOPE"));
        for (ProviderSplit split : splits) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split)))
                    .isEqualTo(split);
        }
        var state = new ProviderEnumeratorState(true, splits);
        var stateSerializer = new ProviderSplitSerializer.EnumeratorStateSerializer();
        assertThat(stateSerializer.deserialize(1, stateSerializer.serialize(state)))
                .isEqualTo(state);
    }

    @Test
    void knowsTheNyseHolidaysOf2024AndTheRegularSession() {
        assertThat(List.of(
                        "2024-01-01",
                        "2024-01-15",
                        "2024-02-19",
                        "2024-03-29",
                        "2024-05-27",
                        "2024-06-19",
                        "2024-07-04",
                        "2024-09-02",
                        "2024-11-28",
                        "2024-12-25"))
                .allSatisfy(day -> assertThat(NewYorkCalendar.isTradingDay(LocalDate.parse(day)))
                        .as(day)
                        .isFalse());
        assertThat(NewYorkCalendar.isTradingDay(LocalDate.parse("2024-03-01"))).isTrue();
        assertThat(NewYorkCalendar.isTradingDay(LocalDate.parse("2024-03-02"))).isFalse();
        // 2021-12-31: New Year's Day 2022 fell on a Saturday and was not observed.
        assertThat(NewYorkCalendar.isTradingDay(LocalDate.parse("2021-12-31"))).isTrue();
        assertThat(NewYorkCalendar.overlapsSession(
                        Instant.parse("2024-03-01T05:00:00Z"), Instant.parse("2024-03-01T14:30:00Z")))
                .isFalse();
        assertThat(NewYorkCalendar.overlapsSession(
                        Instant.parse("2024-03-01T05:00:00Z"), Instant.parse("2024-03-01T14:31:00Z")))
                .isTrue();
    }

    @Test
    void readsRetryAfterInSecondsOrAsADateAndXRateLimitReset() {
        Instant now = Instant.parse("2024-03-01T12:00:00Z");
        assertThat(RetryAfter.from(Map.of("Retry-After", List.of("30")), now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.from(Map.of("retry-after", List.of("Fri, 01 Mar 2024 12:00:05 GMT")), now))
                .contains(Duration.ofSeconds(5));
        assertThat(RetryAfter.from(Map.of("X-RateLimit-Reset", List.of(String.valueOf(now.getEpochSecond() + 9))), now))
                .contains(Duration.ofSeconds(9));
        assertThat(RetryAfter.from(Map.of("Retry-After", List.of("soon")), now)).isEqualTo(Optional.empty());
        assertThat(RetryAfter.from(Map.of(), now)).isEmpty();
    }

    @Test
    void neverShowsASecret() {
        assertThat(Credentials.keyPair("id-1", "s3cr3t").toString()).isEqualTo("Credentials[******]");
        assertThat(HttpRequestSpec.get("/v2/x?page_token=abc&apiKey=s3cr3t&limit=5")
                        .toString())
                .isEqualTo("GET /v2/x?page_token=abc&apiKey=***&limit=5");
    }
}
