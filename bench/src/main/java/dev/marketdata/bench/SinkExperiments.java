package dev.marketdata.bench;

import java.io.PrintStream;

/** Sink write-path variants side by side, straight through JDBC without Flink. */
final class SinkExperiments {

    private final BenchDatabase db;
    private final BenchInput input;
    private final PrintStream out;

    SinkExperiments(BenchDatabase db, BenchInput input, PrintStream out) {
        this.db = db;
        this.input = input;
        this.out = out;
    }

    int run() {
        return 0;
    }
}
