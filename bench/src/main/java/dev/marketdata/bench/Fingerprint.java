package dev.marketdata.bench;

import dev.marketdata.sources.model.Bar;
import java.time.Instant;

/**
 * What a correct run leaves in {@code bars}: the row count and exact sums over every row, so a run that loses,
 * repeats or garbles rows does not pass (a count alone would miss a row written twice and one lost).
 */
record Fingerprint(long rows, long closeCents, long volume, long trades, Instant minTs, Instant maxTs) {

    /** The query that reads a table's fingerprint. */
    static String sql(String table) {
        return "SELECT count(*), coalesce(sum(round(close * 100)), 0)::bigint,"
                + " coalesce(sum(volume), 0)::bigint, coalesce(sum(trades), 0)::bigint, min(ts), max(ts) FROM " + table;
    }

    /** Accumulates the expected fingerprint of generated bars. */
    static final class Builder {
        private long rows;
        private long closeCents;
        private long volume;
        private long trades;
        private Instant minTs;
        private Instant maxTs;

        void add(Bar bar) {
            rows++;
            closeCents += Math.round(bar.close() * 100);
            volume += (long) bar.volume();
            trades += bar.trades() == null ? 0 : bar.trades();
            minTs = minTs == null || bar.ts().isBefore(minTs) ? bar.ts() : minTs;
            maxTs = maxTs == null || bar.ts().isAfter(maxTs) ? bar.ts() : maxTs;
        }

        Fingerprint build() {
            return new Fingerprint(rows, closeCents, volume, trades, minTs, maxTs);
        }
    }
}
