-- Observations: one row per measurement, identified by (device_id, code, observed_at), so a
-- replayed stream record or a device's resend inserts nothing.
CREATE TABLE observations (
    device_id       text             NOT NULL,
    code            text             NOT NULL,
    observed_at     timestamptz      NOT NULL,
    patient_id      text             NOT NULL,
    facility_id     text             NOT NULL,
    value           double precision NOT NULL,
    unit            text             NOT NULL,
    stream_shard_id text             NOT NULL,
    stream_sequence text             NOT NULL,
    ingested_at     timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, code, observed_at)
);

-- The read API's queries: one patient's history in a facility over a time range.
CREATE INDEX observations_facility_patient_time ON observations (facility_id, patient_id, observed_at DESC);

-- Records that failed validation, with the reason; one row per stream record, so a replay adds
-- nothing.
CREATE TABLE dead_letters (
    stream_shard_id text        NOT NULL,
    stream_sequence text        NOT NULL,
    payload         bytea       NOT NULL,
    reason          text        NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_shard_id, stream_sequence)
);

-- The last stream sequence number whose records are stored, per stream and shard. A shard read
-- to its end is marked finished, so its children (after resharding) may start.
CREATE TABLE checkpoints (
    stream_name     text        NOT NULL,
    shard_id        text        NOT NULL,
    sequence_number text        NOT NULL,
    finished        boolean     NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_name, shard_id)
);
