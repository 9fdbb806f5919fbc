package dev.marketdata.sources.provider;

import dev.marketdata.sources.model.Bar;
import java.time.Instant;
import java.util.Optional;

/**
 * A provider's bars as a {@link PageProtocol}: its {@link BarsProtocol} with the job's timeframe, so that bars take
 * the same reader as every other data set, with the bars' own checks on: one bar per start
 * ({@link #timeIsKey()}), an empty first page on a trading day asked again ({@link #suspectEmpty}), splits of at most
 * one day and one page ({@link #splitsByDay()}).
 */
public final class BarPages implements PageProtocol<Bar> {

    private static final long serialVersionUID = 1L;

    /** The data set's name. */
    public static final String DATASET = "bars";

    private final BarsProtocol bars;
    private final String timeframe;

    /**
     * @throws IllegalArgumentException when the provider has no bars of {@code timeframe}
     */
    public BarPages(BarsProtocol bars, String timeframe) {
        if (!bars.supports(timeframe)) {
            throw new IllegalArgumentException(bars.provider().id() + " has no " + timeframe + " bars");
        }
        this.bars = bars;
        this.timeframe = timeframe;
    }

    @Override
    public BarsProtocol transport() {
        return bars;
    }

    @Override
    public String dataset() {
        return DATASET;
    }

    @Override
    public HttpRequestSpec pageRequest(PageQuery query, Optional<String> cursor) {
        return bars.barsRequest(barQuery(query), cursor);
    }

    @Override
    public Page<Bar> readPage(PageQuery query, byte[] body) {
        return readPage(query, Optional.empty(), body);
    }

    @Override
    public Page<Bar> readPage(PageQuery query, Optional<String> cursor, byte[] body) {
        BarsPage page = bars.readBars(barQuery(query), cursor, body);
        return new Page<>(page.bars(), page.rejects(), page.nextCursor());
    }

    @Override
    public Instant timeOf(Bar bar) {
        return bar.ts();
    }

    @Override
    public boolean suspectEmpty(PageQuery query) {
        return bars.emptyAnswer() == EmptyAnswer.SUSPECT_ON_TRADING_DAY
                && NewYorkCalendar.overlapsSession(query.from(), query.to());
    }

    @Override
    public boolean timeIsKey() {
        return true;
    }

    @Override
    public boolean splitsByDay() {
        return true;
    }

    private BarQuery barQuery(PageQuery query) {
        return new BarQuery(query.ticker(), query.providerId(), timeframe, query.from(), query.to(), query.options());
    }
}
