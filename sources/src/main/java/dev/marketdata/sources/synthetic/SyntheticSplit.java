package dev.marketdata.sources.synthetic;

import dev.marketdata.sources.model.Bar;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One symbol's stream of synthetic records and the position in it: the next step (bar) to emit and the close of
 * the bar before it, which is all the random walk, and every data set hanging off it, needs to continue exactly
 * where it stopped.
 */
public record SyntheticSplit(int symbolIndex, long nextBar, double previousClose) implements SourceSplit {

    @Override
    public String splitId() {
        return SyntheticBars.symbol(symbolIndex);
    }

    SyntheticSplit advancedPast(Bar validBar) {
        return new SyntheticSplit(symbolIndex, nextBar + 1, validBar.close());
    }
}
