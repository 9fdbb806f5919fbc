package dev.marketdata.job.sink.table;

import dev.marketdata.job.json.OptionQuoteJson;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.validate.StoredDomain;
import dev.marketdata.sources.model.OptionQuote;
import java.time.Instant;
import java.util.List;

/** The {@code option_quotes} table; key (contract, ts). */
public final class OptionQuoteTable extends BaseTable<OptionQuote> {

    private static final long serialVersionUID = 1L;

    private static final List<String> COLUMNS = List.of(
            "contract",
            "underlying",
            "expiration",
            "strike",
            "option_right",
            "bid",
            "ask",
            "last",
            "bid_size",
            "ask_size",
            "volume",
            "open_interest",
            "implied_volatility",
            "delta",
            "gamma",
            "theta",
            "vega",
            "rho",
            "ts",
            "provider");
    private static final List<String> KEY = List.of("contract", "ts");

    public OptionQuoteTable() {
        this("option_quotes");
    }

    public OptionQuoteTable(String name) {
        super(name, "options", COLUMNS, KEY);
    }

    @Override
    public RowKey key(OptionQuote q) {
        return new Key(q.contract(), StoredDomain.atStoredPrecision(q.ts()));
    }

    @Override
    public OptionQuote stored(OptionQuote q) {
        Instant ts = StoredDomain.atStoredPrecision(q.ts());
        return ts == q.ts()
                ? q
                : new OptionQuote(
                        q.contract(),
                        q.underlying(),
                        q.expiration(),
                        q.strike(),
                        q.optionRight(),
                        q.bid(),
                        q.ask(),
                        q.last(),
                        q.bidSize(),
                        q.askSize(),
                        q.volume(),
                        q.openInterest(),
                        q.impliedVolatility(),
                        q.delta(),
                        q.gamma(),
                        q.theta(),
                        q.vega(),
                        q.rho(),
                        ts,
                        q.provider());
    }

    @Override
    public void writeRow(OptionQuote q, PgBinaryCopyBuffer out) {
        out.startRow(COLUMNS.size());
        out.putText(q.contract());
        out.putText(q.underlying());
        out.putDate(q.expiration());
        out.putFloat8(q.strike());
        out.putText(q.optionRight());
        out.putFloat8(q.bid());
        out.putFloat8(q.ask());
        out.putFloat8(q.last());
        out.putInt8(q.bidSize());
        out.putInt8(q.askSize());
        out.putInt8(q.volume());
        out.putInt8(q.openInterest());
        out.putFloat8(q.impliedVolatility());
        out.putFloat8(q.delta());
        out.putFloat8(q.gamma());
        out.putFloat8(q.theta());
        out.putFloat8(q.vega());
        out.putFloat8(q.rho());
        out.putTimestamptz(q.ts());
        out.putText(q.provider());
    }

    @Override
    public RecordJson<OptionQuote> json() {
        return new OptionQuoteJson();
    }

    private record Key(String contract, Instant ts) implements RowKey {}
}
