-- Where the TimescaleDB extension is installed and preloaded, option quotes (by quote time, 1-day chunks) and
-- fundamentals (by period end, 1-year chunks) become hypertables. News stays a plain table (see V5).
-- On plain PostgreSQL this migration does nothing.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
       AND current_setting('shared_preload_libraries') LIKE '%timescaledb%' THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        PERFORM create_hypertable('option_quotes', 'ts', chunk_time_interval => INTERVAL '1 day',
                                  if_not_exists => TRUE, migrate_data => TRUE);
        PERFORM create_hypertable('fundamentals', 'period_end', chunk_time_interval => INTERVAL '1 year',
                                  if_not_exists => TRUE, migrate_data => TRUE);
    END IF;
END
$$;
