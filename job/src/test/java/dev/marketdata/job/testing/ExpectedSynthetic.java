package dev.marketdata.job.testing;

import dev.marketdata.job.validate.BarValidator.Reason;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.synthetic.BarCorruption;
import dev.marketdata.sources.synthetic.SyntheticBars;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.util.ArrayList;
import java.util.List;

/** What the synthetic source must produce for a spec, worked out symbol by symbol on its own. */
public record ExpectedSynthetic(List<Bar> validBars, List<Rejected> rejected) {

    /** A record the validator must reject, with the reason it must give. */
    public record Rejected(Bar bar, String reason) {}

    public static ExpectedSynthetic of(SyntheticSpec spec) {
        SyntheticBars generator = new SyntheticBars(spec);
        List<Bar> valid = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < spec.symbols(); i++) {
            double close = generator.initialClose(i);
            for (long j = 0; j < spec.stepsPerSymbol(); j++) {
                Bar bar = generator.bar(i, j, close);
                close = bar.close();
                BarCorruption corruption = generator.corruptionOf(generator.recordNumber(i, j));
                if (corruption == null) {
                    valid.add(bar);
                } else {
                    rejected.add(new Rejected(SyntheticBars.corrupt(bar, corruption), reasonFor(corruption)));
                }
            }
        }
        return new ExpectedSynthetic(valid, rejected);
    }

    static String reasonFor(BarCorruption corruption) {
        return switch (corruption) {
            case HIGH_BELOW_LOW -> Reason.HIGH_BELOW_LOW.name();
            case NEGATIVE_PRICE -> Reason.NON_POSITIVE_PRICE.name();
            case NEGATIVE_VOLUME -> Reason.NEGATIVE_VOLUME.name();
            case MISALIGNED_START -> Reason.MISALIGNED_START.name();
            case MALFORMED_SYMBOL -> Reason.MALFORMED_SYMBOL.name();
        };
    }
}
