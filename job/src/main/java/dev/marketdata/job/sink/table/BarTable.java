package dev.marketdata.job.sink.table;

import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.validate.StoredDomain;
import dev.marketdata.sources.model.Bar;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The {@code bars} table; key (symbol, timeframe, ts). */
public final class BarTable extends BaseTable<Bar> {

    private static final long serialVersionUID = 1L;

    private static final List<String> COLUMNS = List.of(
            "symbol", "timeframe", "ts", "open", "high", "low", "close", "volume", "vwap", "trades", "provider");
    private static final List<String> KEY = List.of("symbol", "timeframe", "ts");

    /** The data set's name, whatever the table is called. */
    public static final String DATASET = "bars";

    public BarTable() {
        this("bars");
    }

    public BarTable(String name) {
        super(name, DATASET, COLUMNS, KEY);
    }

    @Override
    public RowKey key(Bar bar) {
        return new Key(bar.symbol(), bar.timeframe(), StoredDomain.atStoredPrecision(bar.ts()));
    }

    @Override
    public Bar stored(Bar bar) {
        Instant ts = StoredDomain.atStoredPrecision(bar.ts());
        return ts == bar.ts()
                ? bar
                : new Bar(
                        bar.symbol(),
                        bar.timeframe(),
                        ts,
                        bar.open(),
                        bar.high(),
                        bar.low(),
                        bar.close(),
                        bar.volume(),
                        bar.vwap(),
                        bar.trades(),
                        bar.provider());
    }

    /** The primary key's order, (symbol, timeframe, ts); bars arrive time-major (every symbol's minute, then the next). */
    private static final Comparator<Bar> KEY_ORDER =
            Comparator.comparing(Bar::symbol).thenComparing(Bar::timeframe).thenComparing(Bar::ts);

    @Override
    public Comparator<Bar> copyOrder() {
        return KEY_ORDER;
    }

    @Override
    public void writeRow(Bar bar, PgBinaryCopyBuffer out) {
        out.startRow(11);
        out.putText(bar.symbol());
        out.putText(bar.timeframe());
        out.putTimestamptz(bar.ts());
        out.putFloat8(bar.open());
        out.putFloat8(bar.high());
        out.putFloat8(bar.low());
        out.putFloat8(bar.close());
        out.putFloat8(bar.volume());
        out.putFloat8(bar.vwap());
        out.putInt8(bar.trades());
        out.putText(bar.provider());
    }

    @Override
    public RecordJson<Bar> json() {
        return new BarJson();
    }

    private record Key(String symbol, String timeframe, Instant ts) implements RowKey {}
}
