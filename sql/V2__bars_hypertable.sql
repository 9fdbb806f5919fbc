-- Where the TimescaleDB extension is installed and preloaded, bars become a hypertable partitioned by time.
-- On plain PostgreSQL this migration does nothing.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
       AND current_setting('shared_preload_libraries') LIKE '%timescaledb%' THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        PERFORM create_hypertable('bars', 'ts', chunk_time_interval => INTERVAL '7 days',
                                  if_not_exists => TRUE, migrate_data => TRUE);
    END IF;
END
$$;
