package dev.marketdata.sources.provider.live;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of a provider account's live stream (one socket for the whole job), with its position: per
 * ticker the start of the last bar emitted, from which the stream's gap is repaired through REST after a restore.
 *
 * @param provider the provider's id
 * @param positions ticker to the start of the last bar emitted (UTC); before any, the {@code --from} instant or
 *     none
 * @param started false for the enumerator's fresh split (positions are where to backfill from), true once a
 *     reader checkpointed it (positions are bars already emitted: a restore repairs from a little before them, to
 *     cover provisional windows)
 */
public record LiveSplit(String provider, Map<String, Instant> positions, boolean started) implements SourceSplit {

    public LiveSplit {
        Objects.requireNonNull(provider, "provider");
        positions = java.util.Collections.unmodifiableMap(new TreeMap<>(positions));
    }

    @Override
    public String splitId() {
        return "live-" + provider;
    }
}
