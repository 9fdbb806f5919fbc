-- Option quotes. The key (contract, ts) makes every write idempotent: a replayed or corrected quote replaces
-- the row it names instead of adding one. Column names are the JSON field names of the Kafka topic.
CREATE TABLE IF NOT EXISTS option_quotes (
    contract           text             NOT NULL,
    underlying         text             NOT NULL,
    expiration         date             NOT NULL,
    strike             double precision NOT NULL,
    option_right       text             NOT NULL,
    bid                double precision NOT NULL,
    ask                double precision NOT NULL,
    last               double precision,
    bid_size           bigint,
    ask_size           bigint,
    volume             bigint,
    open_interest      bigint,
    implied_volatility double precision,
    delta              double precision,
    gamma              double precision,
    theta              double precision,
    vega               double precision,
    rho                double precision,
    ts                 timestamptz      NOT NULL,
    provider           text             NOT NULL,
    PRIMARY KEY (contract, ts)
);
-- A chain at a moment: WHERE underlying = 'AAPL' AND ts = ...
CREATE INDEX IF NOT EXISTS option_quotes_underlying_ts ON option_quotes (underlying, ts);
