package dev.marketdata.job.testing;

import dev.marketdata.job.dataset.Dataset;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.validate.Violation;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.synthetic.SyntheticBars;
import dev.marketdata.sources.synthetic.SyntheticGenerator;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What the synthetic source of a data set must store and dead-letter for a spec: the records it spoils are the
 * ones that differ from a run without {@code --invalid-every}; each must be rejected, with the reason its
 * validator gives ({@code SyntheticDataValidityTest} pins which corruption gives which reason).
 */
public record ExpectedDataset<T>(List<T> valid, List<Rejected<T>> rejected) {

    /** A record the job must dead-letter, with its reason. */
    public record Rejected<T>(T record, String reason) {}

    public static <T> ExpectedDataset<T> of(SyntheticSpec spec, Dataset<T> dataset) {
        SyntheticSpec cleanSpec = new SyntheticSpec(
                spec.symbols(), spec.stepsPerSymbol(), spec.recordsPerSecond(), 0, spec.seed(), spec.start());
        SyntheticGenerator<T> dirty = dataset.synthetic().apply(spec).generator();
        SyntheticGenerator<T> clean = dataset.synthetic().apply(cleanSpec).generator();
        SyntheticBars walk = new SyntheticBars(spec);
        List<T> valid = new ArrayList<>();
        List<Rejected<T>> rejected = new ArrayList<>();
        for (int i = 0; i < spec.symbols(); i++) {
            double close = walk.initialClose(i);
            for (long j = 0; j < spec.stepsPerSymbol(); j++) {
                Bar bar = walk.bar(i, j, close);
                close = bar.close();
                List<T> cleanStep = new ArrayList<>();
                List<T> dirtyStep = new ArrayList<>();
                clean.generate(i, j, bar, cleanStep);
                dirty.generate(i, j, bar, dirtyStep);
                for (int k = 0; k < dirtyStep.size(); k++) {
                    T record = dirtyStep.get(k);
                    Violation violation = dataset.validator().check(record);
                    if (record.equals(cleanStep.get(k))) {
                        check(violation == null, "a clean record is invalid: " + violation + " " + record);
                        valid.add(record);
                    } else {
                        check(violation != null, "a spoiled record passes validation: " + record);
                        rejected.add(new Rejected<>(record, violation.reason()));
                    }
                }
            }
        }
        return new ExpectedDataset<>(valid, rejected);
    }

    /** Each rejected record as {@code REASON <record JSON>}: how a dead-letter line is compared. */
    public List<String> rejectedLines(Dataset<T> dataset) {
        return rejected.stream()
                .map(r -> r.reason() + " " + Json.toJson(dataset.json(), r.record()))
                .toList();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
