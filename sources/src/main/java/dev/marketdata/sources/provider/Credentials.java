package dev.marketdata.sources.provider;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's credentials: an optional key id (Alpaca's {@code APCA-API-KEY-ID}) and the secret (Polygon's API key,
 * Alpaca's secret key). {@link #toString()} never shows either, so neither reaches a log line or an exception
 * message; only {@link BarsProtocol#authenticate} reads them, to put them into request headers.
 */
public final class Credentials implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Credentials NONE = new Credentials(null, "");

    private final String keyId;
    private final String secret;

    private Credentials(String keyId, String secret) {
        this.keyId = keyId;
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /** A single secret key (Polygon). */
    public static Credentials key(String secret) {
        return new Credentials(null, secret);
    }

    /** A key id and its secret (Alpaca). */
    public static Credentials keyPair(String keyId, String secret) {
        return new Credentials(Objects.requireNonNull(keyId, "keyId"), secret);
    }

    /** No credentials (the IBKR gateway authenticates by its own browser session). */
    public static Credentials none() {
        return NONE;
    }

    public Optional<String> keyId() {
        return Optional.ofNullable(keyId);
    }

    public String secret() {
        return secret;
    }

    public boolean isEmpty() {
        return keyId == null && secret.isEmpty();
    }

    @Override
    public String toString() {
        return isEmpty() ? "Credentials[none]" : "Credentials[******]";
    }
}
