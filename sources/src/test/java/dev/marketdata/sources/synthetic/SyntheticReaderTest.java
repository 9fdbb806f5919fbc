package dev.marketdata.sources.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.OptionQuote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;

class SyntheticReaderTest {

    private static final SyntheticSpec SPEC = new SyntheticSpec(5, 40, 0, 7, 42, Instant.parse("2024-01-02T14:30:00Z"));

    private static List<SyntheticSplit> allSplits(SyntheticSpec spec) {
        return SyntheticSource.initialSplits(spec);
    }

    private static SyntheticReader<Bar> reader(List<SyntheticSplit> splits) {
        return reader(new SyntheticBars(SPEC), splits);
    }

    private static <T> SyntheticReader<T> reader(SyntheticGenerator<T> generator, List<SyntheticSplit> splits) {
        SyntheticReader<T> reader = new SyntheticReader<>(SPEC, generator);
        reader.start();
        reader.addSplits(splits);
        reader.notifyNoMoreSplits();
        return reader;
    }

    /** Polls up to {@code max} records (or a little more: a poll emits a whole step), or to the end when max is negative. */
    private static <T> List<T> poll(SyntheticReader<T> reader, int max) throws Exception {
        CollectingReaderOutput<T> out = new CollectingReaderOutput<>();
        while (max < 0 || out.records.size() < max) {
            if (reader.pollNext(out) == InputStatus.END_OF_INPUT) {
                break;
            }
        }
        return out.records;
    }

    @Test
    void emitsEverySymbolsBarsTimeMajorWithTheConfiguredInvalidRecords() throws Exception {
        List<Bar> all = poll(reader(allSplits(SPEC)), -1);

        assertThat(all).hasSize(200);
        assertThat(all.subList(0, 5))
                .extracting(Bar::symbol)
                .containsExactly("SYN0000", "SYN0001", "SYN0002", "SYN0003", "SYN0004");
        assertThat(all.subList(0, 5)).extracting(Bar::ts).containsOnly(SPEC.start());
        // Every 7th record (the 7th, 14th, ...) is spoiled; the kinds take turns.
        assertThat(all.get(6))
                .isEqualTo(SyntheticBars.corrupt(
                        new SyntheticBars(SPEC).bar(1, 1, all.get(1).close()), BarCorruption.HIGH_BELOW_LOW));
        assertThat(all.get(13).open()).isNegative();
        assertThat(all.get(20).volume()).isNegative();
    }

    @Test
    void restoringFromASnapshotContinuesWithNoGapAndNoRepeat() throws Exception {
        List<Bar> uninterrupted = poll(reader(allSplits(SPEC)), -1);

        SyntheticReader<Bar> first = reader(allSplits(SPEC));
        List<Bar> beforeCheckpoint = poll(first, 73);
        List<SyntheticSplit> checkpoint = first.snapshotState(1);
        poll(first, 31); // emitted after the checkpoint, then lost in a failure

        List<Bar> afterRestore = poll(reader(checkpoint), -1);

        List<Bar> seen = new ArrayList<>(beforeCheckpoint);
        seen.addAll(afterRestore);
        assertThat(seen).containsExactlyElementsOf(uninterrupted);
    }

    @Test
    void splitsOfSeveralReadersRestoreIntoFewerReaders() throws Exception {
        List<Bar> uninterrupted = poll(reader(allSplits(SPEC)), -1);
        List<SyntheticSplit> splits = allSplits(SPEC);

        SyntheticReader<Bar> a = reader(new ArrayList<>(splits.subList(0, 3)));
        SyntheticReader<Bar> b = reader(new ArrayList<>(splits.subList(3, 5)));
        List<Bar> seen = new ArrayList<>(poll(a, 50));
        seen.addAll(poll(b, 9));
        List<SyntheticSplit> checkpoint = new ArrayList<>(a.snapshotState(7));
        checkpoint.addAll(b.snapshotState(7));

        seen.addAll(poll(reader(checkpoint), -1));

        assertThat(seen).containsExactlyInAnyOrderElementsOf(uninterrupted);
    }

    @Test
    void aRestoredOptionReaderNeitherRepeatsNorSkipsAQuote() throws Exception {
        SyntheticOptionQuotes options = new SyntheticOptionQuotes(SPEC);
        List<OptionQuote> uninterrupted = poll(reader(options, allSplits(SPEC)), -1);
        assertThat(uninterrupted).hasSize(5 * 40 * SyntheticOptionQuotes.SLOTS);

        SyntheticReader<OptionQuote> first = reader(options, allSplits(SPEC));
        List<OptionQuote> beforeCheckpoint = poll(first, 1234);
        List<SyntheticSplit> checkpoint = first.snapshotState(1);
        poll(first, 500); // emitted after the checkpoint, then lost in a failure

        List<OptionQuote> seen = new ArrayList<>(beforeCheckpoint);
        seen.addAll(poll(reader(options, checkpoint), -1));
        assertThat(seen).containsExactlyElementsOf(uninterrupted);
    }

    @Test
    void aSplitSurvivesItsSerializer() throws Exception {
        SyntheticSplitSerializer serializer = new SyntheticSplitSerializer();
        SyntheticSplit split = new SyntheticSplit(17, 12345L, 101.37);
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split)))
                .isEqualTo(split);

        SyntheticSplitSerializer.PendingSplits pending = new SyntheticSplitSerializer.PendingSplits();
        List<SyntheticSplit> splits = List.of(split, new SyntheticSplit(0, 0, 20.0));
        assertThat(pending.deserialize(pending.getVersion(), pending.serialize(splits)))
                .isEqualTo(splits);
    }

    @Test
    void aReaderWithSomeOfTheSymbolsGetsTheirShareOfTheRate() throws Exception {
        SyntheticSpec limited = new SyntheticSpec(5, 40, 400, 0, 42, SPEC.start());
        SyntheticReader<Bar> reader = new SyntheticReader<>(limited, new SyntheticBars(limited));
        long start = System.nanoTime();
        reader.start();
        reader.addSplits(allSplits(limited).subList(0, 2));
        reader.notifyNoMoreSplits();
        CollectingReaderOutput<Bar> out = new CollectingReaderOutput<>();
        while (reader.pollNext(out) != InputStatus.END_OF_INPUT) {
            reader.isAvailable().get();
        }
        // 2 of 5 symbols: 160 records/s, so 80 records take at least 79 / 160 s.
        assertThat(out.records).hasSize(80);
        assertThat((System.nanoTime() - start) / 1e9).isGreaterThanOrEqualTo(79 / 160.0);
    }

    @Test
    void capsTheRate() throws Exception {
        SyntheticSpec limited = new SyntheticSpec(5, 40, 400, 0, 42, SPEC.start());
        SyntheticReader<Bar> reader = new SyntheticReader<>(limited, new SyntheticBars(limited));
        long start = System.nanoTime();
        reader.start();
        reader.addSplits(allSplits(limited));
        reader.notifyNoMoreSplits();
        CollectingReaderOutput<Bar> out = new CollectingReaderOutput<>();
        InputStatus status;
        while ((status = reader.pollNext(out)) != InputStatus.END_OF_INPUT) {
            if (status == InputStatus.NOTHING_AVAILABLE) {
                reader.isAvailable().get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(out.records).hasSize(200);
        // 200 records at 400/s cannot take less than (200 - 1) / 400 s.
        assertThat(seconds).isGreaterThanOrEqualTo(199 / 400.0);
    }
}
