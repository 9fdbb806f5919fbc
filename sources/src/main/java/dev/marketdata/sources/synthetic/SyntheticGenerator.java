package dev.marketdata.sources.synthetic;

import dev.marketdata.sources.model.Bar;
import java.io.Serializable;
import java.util.List;

/**
 * One data set of the synthetic market: the records a symbol emits at a step, as a pure function of the spec,
 * the symbol, the step and the symbol's (valid) bar for that step, so that a restored reader repeats nothing and
 * skips nothing.
 *
 * <p>Records of a data set are numbered time-major ({@code (step * symbols + symbol) * slotsPerStep() + slot + 1})
 * for {@link SyntheticSpec#invalidEvery()}; a slot may stay empty (no news this minute), so the numbers count
 * positions, not records.
 */
public interface SyntheticGenerator<T> extends Serializable {

    /** The most records one symbol emits in one step. */
    int slotsPerStep();

    /** Appends the records of step {@code step} of symbol {@code symbolIndex}, whose bar for the step is {@code bar}. */
    void generate(int symbolIndex, long step, Bar bar, List<T> out);

    /** The position of a slot in the data set's sequence, from 1. */
    static long position(SyntheticSpec spec, int slotsPerStep, int symbolIndex, long step, int slot) {
        return (step * spec.symbols() + symbolIndex) * slotsPerStep + slot + 1;
    }
}
