-- Busbar SQL historian table for PostgreSQL 12+ (TimescaleDB-compatible).
-- One row per reading. The unique key (pair, meter, quantity, source_time) is the reading key, so
-- Busbar's INSERT ... ON CONFLICT DO NOTHING makes replays idempotent.
-- Busbar applies this DDL itself at start when the target has `create-table: true`, with the
-- configured table name; examples/historian-sql holds it for the table `readings`.
CREATE TABLE IF NOT EXISTS ${table} (
    pair          text        NOT NULL,
    meter         text        NOT NULL,
    quantity      text        NOT NULL,
    source_time   timestamptz NOT NULL,
    reading_value numeric,
    unit          text,
    raw_value     numeric,
    server        text,
    server_time   timestamptz,
    quality       text,
    status        bigint      NOT NULL,
    reading_key   text        NOT NULL,
    CONSTRAINT ${name}_reading UNIQUE (pair, meter, quantity, source_time)
);
-- TimescaleDB: the unique key contains the time column, so the table can be a hypertable.
-- Run once by hand where the extension is installed:
--   SELECT create_hypertable('${table}', 'source_time', if_not_exists => TRUE);
