package dev.marketdata.sources.provider.live;

import java.io.Serializable;

/**
 * One instrument of a live stream.
 *
 * @param ticker the symbol as the user wrote it and as it is stored, e.g. {@code AAPL}
 * @param providerId the provider's own id (IBKR's conid; the ticker itself for Polygon and Alpaca)
 */
public record LiveTicker(String ticker, String providerId) implements Serializable {}
