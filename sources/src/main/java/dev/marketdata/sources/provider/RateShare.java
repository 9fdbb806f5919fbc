package dev.marketdata.sources.provider;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Enumerator to reader: the reader's share of the job's request rate. The enumerator divides
 * {@code --requests-per-minute} among the readers that still have work, so all readers together, on any
 * TaskManager, stay under it.
 *
 * @param requestsPerMinute this reader's cap
 */
public record RateShare(double requestsPerMinute) implements SourceEvent {}
