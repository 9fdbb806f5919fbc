-- News articles. The key (provider, id) makes every write idempotent: article ids are the provider's, unique
-- per provider only. (So news is no hypertable: TimescaleDB needs the time column in every unique key, and a
-- corrected published_at would then make a second row for the same article.)
CREATE TABLE IF NOT EXISTS news (
    id           text             NOT NULL,
    published_at timestamptz      NOT NULL,
    headline     text             NOT NULL,
    summary      text,
    author       text,
    url          text             NOT NULL,
    symbols      text[]           NOT NULL,
    source       text,
    sentiment    double precision,
    provider     text             NOT NULL,
    PRIMARY KEY (provider, id)
);
-- The latest news, and the news about a symbol: WHERE symbols @> ARRAY['AAPL'] ORDER BY published_at DESC
CREATE INDEX IF NOT EXISTS news_published_at ON news (published_at);
CREATE INDEX IF NOT EXISTS news_symbols ON news USING gin (symbols);
