-- OHLCV bars. The key (symbol, timeframe, ts) makes every write idempotent: a replayed or corrected bar
-- replaces the row it names instead of adding one.
CREATE TABLE IF NOT EXISTS bars (
    symbol     text             NOT NULL,
    timeframe  text             NOT NULL,
    ts         timestamptz      NOT NULL,
    open       double precision NOT NULL,
    high       double precision NOT NULL,
    low        double precision NOT NULL,
    close      double precision NOT NULL,
    volume     double precision NOT NULL,
    vwap       double precision,
    trades     bigint,
    provider   text             NOT NULL,
    PRIMARY KEY (symbol, timeframe, ts)
);
