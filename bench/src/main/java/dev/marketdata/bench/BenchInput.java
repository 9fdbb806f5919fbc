package dev.marketdata.bench;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.synthetic.SyntheticBars;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The one input every scenario writes: the synthetic provider's bars for a spec, in the order the source emits
 * them at parallelism 1 (time-major: every symbol's first bar, then every symbol's second bar, ...).
 */
final class BenchInput {

    static final Instant START = Instant.parse("2024-01-02T14:30:00Z");
    static final long SEED = 42;

    private final SyntheticSpec spec;

    BenchInput(int symbols, long barsPerSymbol) {
        this.spec = new SyntheticSpec(symbols, barsPerSymbol, 0, 0, SEED, START);
    }

    SyntheticSpec spec() {
        return spec;
    }

    /** The same spec with a cap on records per second (for the latency runs). */
    SyntheticSpec spec(double rate) {
        return new SyntheticSpec(spec.symbols(), spec.stepsPerSymbol(), rate, 0, SEED, START);
    }

    long rows() {
        return spec.stepsPerSymbol() * spec.symbols();
    }

    /** Every bar, time-major. */
    void forEach(Consumer<Bar> action) {
        SyntheticBars generator = new SyntheticBars(spec);
        double[] close = new double[spec.symbols()];
        for (int i = 0; i < close.length; i++) {
            close[i] = generator.initialClose(i);
        }
        for (long j = 0; j < spec.stepsPerSymbol(); j++) {
            for (int i = 0; i < close.length; i++) {
                Bar bar = generator.bar(i, j, close[i]);
                close[i] = bar.close();
                action.accept(bar);
            }
        }
    }

    Fingerprint fingerprint() {
        Fingerprint.Builder fp = new Fingerprint.Builder();
        forEach(fp::add);
        return fp.build();
    }

    /** Writes every bar as CSV in the table's column order (what {@code COPY ... (FORMAT csv)} reads). */
    void writeCsv(Path file) throws IOException {
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            IOException[] failure = new IOException[1];
            StringBuilder line = new StringBuilder(160);
            forEach(bar -> {
                if (failure[0] != null) {
                    return;
                }
                line.setLength(0);
                line.append(bar.symbol())
                        .append(',')
                        .append(bar.timeframe())
                        .append(',')
                        .append(bar.ts())
                        .append(',')
                        .append(bar.open())
                        .append(',')
                        .append(bar.high())
                        .append(',')
                        .append(bar.low())
                        .append(',')
                        .append(bar.close())
                        .append(',')
                        .append(bar.volume())
                        .append(',')
                        .append(bar.vwap() == null ? "" : bar.vwap().toString())
                        .append(',')
                        .append(bar.trades() == null ? "" : bar.trades().toString())
                        .append(',')
                        .append(bar.provider())
                        .append('\n');
                try {
                    out.append(line);
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }
    }
}
