package dev.marketdata.sources.synthetic;

import dev.marketdata.sources.model.Bar;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

/**
 * Emits the steps of its splits round-robin, so all its symbols advance minute by minute together (time-major,
 * as a live feed delivers them), each symbol at most {@code recordsPerSecond / symbols} records per second. One
 * poll emits one whole step of one symbol (a bar, or a whole option chain), so a checkpoint, taken between polls,
 * never splits a step.
 *
 * <p>Runs on the task thread only; the one cross-thread hand-off is the availability future completed by the
 * rate limiter's timer.
 */
final class SyntheticReader<T> implements SourceReader<T, SyntheticSplit> {

    private final SyntheticSpec spec;
    private final SyntheticBars walk;
    private final SyntheticGenerator<T> generator;
    /** The cap per symbol, so every symbol advances at the same pace whichever reader holds it. */
    private final double recordsPerSecondPerSymbol;

    private final List<SyntheticSplit> splits = new ArrayList<>();
    private final List<T> step = new ArrayList<>();
    private int cursor;
    private boolean noMoreSplits;
    private CompletableFuture<Void> availability = CompletableFuture.completedFuture(null);
    private long nextEmitNanos;

    SyntheticReader(SyntheticSpec spec, SyntheticGenerator<T> generator) {
        this.spec = spec;
        this.walk = new SyntheticBars(spec);
        this.generator = generator;
        this.recordsPerSecondPerSymbol = spec.recordsPerSecond() > 0 ? spec.recordsPerSecond() / spec.symbols() : 0;
    }

    @Override
    public void start() {
        nextEmitNanos = System.nanoTime();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) {
        if (splits.isEmpty()) {
            return noMoreSplits ? InputStatus.END_OF_INPUT : waitForSplits();
        }
        if (recordsPerSecondPerSymbol > 0 && throttled()) {
            return InputStatus.NOTHING_AVAILABLE;
        }
        SyntheticSplit split = splits.get(cursor);
        Bar bar = walk.bar(split.symbolIndex(), split.nextBar(), split.previousClose());
        step.clear();
        generator.generate(split.symbolIndex(), split.nextBar(), bar, step);
        long timestamp = bar.ts().toEpochMilli();
        for (T record : step) {
            output.collect(record, timestamp);
        }
        if (recordsPerSecondPerSymbol > 0) {
            nextEmitNanos += (long) (step.size() * 1e9 / (recordsPerSecondPerSymbol * splits.size()));
        }

        SyntheticSplit advanced = split.advancedPast(bar);
        if (spec.bounded() && advanced.nextBar() >= spec.stepsPerSymbol()) {
            splits.remove(cursor);
        } else {
            splits.set(cursor, advanced);
            cursor++;
        }
        if (cursor >= splits.size()) {
            cursor = 0;
        }
        return InputStatus.MORE_AVAILABLE;
    }

    private boolean throttled() {
        long now = System.nanoTime();
        // After an idle spell (waiting for splits) start afresh rather than make up for it in a burst.
        nextEmitNanos = Math.max(nextEmitNanos, now - 1_000_000_000L);
        long waitNanos = nextEmitNanos - now;
        if (waitNanos <= 0) {
            return false;
        }
        CompletableFuture<Void> wakeUp = new CompletableFuture<>();
        availability = wakeUp;
        CompletableFuture.delayedExecutor(Math.max(waitNanos, 1_000_000), TimeUnit.NANOSECONDS)
                .execute(() -> wakeUp.complete(null));
        return true;
    }

    private InputStatus waitForSplits() {
        if (availability.isDone()) {
            availability = new CompletableFuture<>();
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    /** The splits in emission order from the next one due, so a restored reader replays the same sequence. */
    @Override
    public List<SyntheticSplit> snapshotState(long checkpointId) {
        List<SyntheticSplit> inOrder = new ArrayList<>(splits.subList(cursor, splits.size()));
        inOrder.addAll(splits.subList(0, cursor));
        return inOrder;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return availability;
    }

    @Override
    public void addSplits(List<SyntheticSplit> newSplits) {
        splits.addAll(newSplits);
        availability.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        availability.complete(null);
    }

    @Override
    public void close() {}
}
