-- Busbar SQL historian table for H2 2.x.
-- One row per reading. The unique key (pair, meter, quantity, source_time) is the reading key, so
-- Busbar's MERGE ... WHEN NOT MATCHED THEN INSERT makes replays idempotent.
-- Busbar applies this DDL itself at start when the target has `create-table: true`, with the
-- configured table name; examples/historian-sql holds it for the table `readings`.
-- DECFLOAT keeps every decimal digit of the value; TIMESTAMP(9) keeps OPC UA's sub-millisecond times.
CREATE TABLE IF NOT EXISTS ${table} (
    pair          VARCHAR                     NOT NULL,
    meter         VARCHAR                     NOT NULL,
    quantity      VARCHAR                     NOT NULL,
    source_time   TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    reading_value DECFLOAT,
    unit          VARCHAR,
    raw_value     DECFLOAT,
    server        VARCHAR,
    server_time   TIMESTAMP(9) WITH TIME ZONE,
    quality       VARCHAR,
    status        BIGINT                      NOT NULL,
    reading_key   VARCHAR                     NOT NULL,
    CONSTRAINT ${name}_reading UNIQUE (pair, meter, quantity, source_time)
);
