package dev.marketdata.sources.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class SyntheticDataSetsTest {

    private static final SyntheticSpec SPEC = new SyntheticSpec(8, 30, 0, 0, 42, Instant.parse("2024-01-02T14:30:00Z"));

    @Test
    void optionChainsSurroundEachBarsCloseWithWeeklyAndMonthlyCallsAndPuts() {
        SyntheticBars walk = new SyntheticBars(SPEC);
        Bar bar = walk.bar(3, 0, walk.initialClose(3));
        List<OptionQuote> chain = new ArrayList<>();
        new SyntheticOptionQuotes(SPEC).generate(3, 0, bar, chain);

        assertThat(chain).hasSize(SyntheticOptionQuotes.SLOTS);
        assertThat(chain).extracting(OptionQuote::expiration).allSatisfy(e -> {
            assertThat(e.getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
            assertThat(e).isAfterOrEqualTo(LocalDate.of(2024, 1, 9));
        });
        assertThat(chain.stream().map(OptionQuote::expiration).distinct())
                .containsExactly(LocalDate.of(2024, 1, 12), LocalDate.of(2024, 2, 16));
        double increment = SyntheticOptionQuotes.strikeIncrement(bar.close());
        assertThat(chain).extracting(OptionQuote::strike).allSatisfy(k -> assertThat(Math.abs(k - bar.close()))
                .isLessThanOrEqualTo(2.5 * increment));
        assertThat(chain).allSatisfy(q -> {
            assertThat(q.underlying()).isEqualTo("SYN0003");
            assertThat(q.contract()).startsWith("S0003").matches("S0003\\d{6}[CP]\\d{8}");
            assertThat(q.bid()).isLessThanOrEqualTo(q.ask()).isNotNegative();
            assertThat(q.ts()).isEqualTo(bar.ts());
            assertThat(q.impliedVolatility()).isPositive();
            if (q.optionRight().equals(OptionQuote.CALL)) {
                assertThat(q.delta()).isBetween(0.0, 1.0);
            } else {
                assertThat(q.delta()).isBetween(-1.0, 0.0);
            }
        });
        assertThat(chain.stream().map(OptionQuote::contract).distinct()).hasSize(SyntheticOptionQuotes.SLOTS);
        // Put-call parity holds for the generator's model prices, within the quoted spreads.
        OptionQuote call = chain.get(4);
        OptionQuote put = chain.get(5);
        assertThat(call.strike()).isEqualTo(put.strike());
        double years = ChronoUnit.MINUTES.between(bar.ts(), Instant.parse("2024-01-12T21:00:00Z")) / (365.0 * 1440);
        double parity = bar.close() - call.strike() * Math.exp(-SyntheticOptionQuotes.RATE * years);
        assertThat((call.bid() + call.ask()) / 2 - (put.bid() + put.ask()) / 2)
                .isCloseTo(
                        parity,
                        org.assertj.core.data.Offset.offset(0.05 + (call.ask() - call.bid() + put.ask() - put.bid())));
    }

    @Test
    void fundamentalsReportEveryQuarterThenTheYearAndTheTrailingTwelveMonths() {
        List<Fundamentals> all = SyntheticTesting.expected(SPEC, new SyntheticFundamentals(SPEC));
        List<Fundamentals> first =
                all.stream().filter(f -> f.symbol().equals("SYN0000")).toList();

        assertThat(first.stream().filter(f -> f.fiscalPeriod().startsWith("Q"))).hasSize(30);
        assertThat(first.stream().filter(f -> f.fiscalPeriod().equals("FY"))).hasSize(7);
        assertThat(first.stream().filter(f -> f.fiscalPeriod().equals("TTM"))).hasSize(27);
        assertThat(first.subList(0, 4)).extracting(Fundamentals::fiscalPeriod).containsExactly("Q1", "Q2", "Q3", "Q4");
        assertThat(first.get(4).fiscalPeriod()).isEqualTo("FY");
        assertThat(first.get(5).fiscalPeriod()).isEqualTo("TTM");
        assertThat(first).extracting(Fundamentals::fiscalYear).startsWith(2014);
        Fundamentals year = first.get(4);
        assertThat(year.revenue())
                .isEqualTo(first.subList(0, 4).stream()
                        .mapToDouble(Fundamentals::revenue)
                        .sum());
        assertThat(year.periodStart()).isEqualTo(first.get(0).periodStart());
        assertThat(year.periodEnd()).isEqualTo(first.get(3).periodEnd());
        assertThat(first.get(5).revenue()).isEqualTo(year.revenue());
        for (int k = 1; k < 4; k++) {
            assertThat(first.get(k).periodStart())
                    .isEqualTo(first.get(k - 1).periodEnd().plusDays(1));
        }
        assertThat(all).allSatisfy(f -> {
            assertThat(f.filingDate()).isAfter(f.periodEnd());
            assertThat(f.totalAssets()).isEqualTo(f.totalLiabilities() + f.shareholdersEquity());
        });
        // Every natural key (symbol, fiscal period, period end) appears once.
        assertThat(all.stream()
                        .map(f -> f.symbol() + f.fiscalPeriod() + f.periodEnd())
                        .distinct())
                .hasSize(all.size());
        assertThat(all.stream().filter(f -> f.symbol().equals("SYN0006")))
                .allSatisfy(f -> assertThat(f.grossProfit()).as("bank-like").isNull());
    }

    @Test
    void newsComesForAboutOneStepInFourAndNamesItsSymbol() {
        List<NewsArticle> all = SyntheticTesting.expected(SPEC, new SyntheticNews(SPEC));

        assertThat(all.size()).isBetween(8 * 30 / 8, 8 * 30 / 2);
        assertThat(all).allSatisfy(a -> {
            assertThat(a.symbols()).isNotEmpty().doesNotHaveDuplicates();
            assertThat(a.id())
                    .isEqualTo("syn-" + a.symbols().get(0) + "-" + a.id().substring(a.id().lastIndexOf('-') + 1));
            assertThat(a.url()).startsWith("https://news.example.com/synthetic/");
            assertThat(a.headline()).contains(a.symbols().get(0));
        });
        assertThat(new HashSet<>(all.stream().map(NewsArticle::id).toList())).hasSize(all.size());
        assertThat(all).anySatisfy(a -> assertThat(a.symbols()).hasSize(2));
        assertThat(all).anySatisfy(a -> assertThat(a.sentiment()).isNull());
    }

    @Test
    void everyKthPositionIsSpoiledAndTheKindsTakeTurns() {
        SyntheticSpec spoiled = new SyntheticSpec(8, 30, 0, 7, 42, SPEC.start());
        List<OptionQuote> clean = SyntheticTesting.expected(SPEC, new SyntheticOptionQuotes(SPEC));
        List<OptionQuote> dirty = SyntheticTesting.expected(spoiled, new SyntheticOptionQuotes(spoiled));
        assertThat(dirty).hasSameSizeAs(clean);
        // The lists run symbol by symbol; record positions run time-major (every symbol's step 0, then step 1, ...).
        List<Long> changedPositions = new ArrayList<>();
        int perSymbol = 30 * SyntheticOptionQuotes.SLOTS;
        for (int n = 0; n < clean.size(); n++) {
            if (!clean.get(n).equals(dirty.get(n))) {
                int symbol = n / perSymbol;
                int step = (n % perSymbol) / SyntheticOptionQuotes.SLOTS;
                changedPositions.add(SyntheticGenerator.position(
                        spoiled, SyntheticOptionQuotes.SLOTS, symbol, step, n % SyntheticOptionQuotes.SLOTS));
            }
        }
        assertThat(changedPositions).hasSize(clean.size() / 7).allSatisfy(p -> assertThat(p % 7)
                .isZero());
        // Positions 7 and 14 are symbol 0's step 0; the first kinds are a crossed market and a negative strike.
        assertThat(dirty.get(6).bid()).isGreaterThan(dirty.get(6).ask());
        assertThat(dirty.get(13).strike()).isNegative();
    }

    @Test
    void theSameSeedGivesTheSameRecordsAndAnotherSeedOthers() {
        SyntheticSpec other = new SyntheticSpec(8, 30, 0, 0, 43, SPEC.start());
        assertThat(SyntheticTesting.expected(SPEC, new SyntheticNews(SPEC)))
                .isEqualTo(SyntheticTesting.expected(SPEC, new SyntheticNews(SPEC)))
                .isNotEqualTo(SyntheticTesting.expected(other, new SyntheticNews(other)));
        assertThat(SyntheticTesting.expected(SPEC, new SyntheticFundamentals(SPEC)))
                .isNotEqualTo(SyntheticTesting.expected(other, new SyntheticFundamentals(other)));
    }

    @Test
    void everyRecordTypeIsAPojoWithoutGenericFields() {
        for (Class<?> type : List.of(Bar.class, OptionQuote.class, Fundamentals.class, NewsArticle.class)) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            SerializerConfigImpl noKryo = new SerializerConfigImpl();
            noKryo.setGenericTypes(false);
            // Throws when any field would fall back to Kryo.
            info.createSerializer(noKryo);
        }
    }
}
