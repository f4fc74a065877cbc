-- Shard leases (KCL-like): at most one processor reads a shard at a time. A lease is free when
-- its expiry has passed (a released lease expires at its release time, a new one at its creation).
-- token is the fencing token: it grows each time the lease is taken, so a worker that lost its
-- lease cannot write a checkpoint with its old (owner, token).
CREATE TABLE shard_leases (
    stream_name text        NOT NULL,
    shard_id    text        NOT NULL,
    owner       text        NOT NULL DEFAULT '',
    token       bigint      NOT NULL DEFAULT 0,
    expires_at  timestamptz NOT NULL DEFAULT now(),
    renewed_at  timestamptz,
    PRIMARY KEY (stream_name, shard_id)
);

-- Live processors per stream (heartbeats), so each takes about ceil(shards / live workers).
CREATE TABLE lease_workers (
    stream_name text        NOT NULL,
    owner       text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (stream_name, owner)
);
