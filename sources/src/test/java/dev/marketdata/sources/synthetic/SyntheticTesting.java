package dev.marketdata.sources.synthetic;

import dev.marketdata.sources.model.Bar;
import java.util.ArrayList;
import java.util.List;

/** Works out what a synthetic data set must contain, symbol by symbol, without any reader. */
final class SyntheticTesting {

    private SyntheticTesting() {}

    static <T> List<T> expected(SyntheticSpec spec, SyntheticGenerator<T> generator) {
        SyntheticBars walk = new SyntheticBars(spec);
        List<T> records = new ArrayList<>();
        for (int i = 0; i < spec.symbols(); i++) {
            double close = walk.initialClose(i);
            for (long j = 0; j < spec.stepsPerSymbol(); j++) {
                Bar bar = walk.bar(i, j, close);
                generator.generate(i, j, bar, records);
                close = bar.close();
            }
        }
        return records;
    }
}
