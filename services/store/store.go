// Package store keeps observations in PostgreSQL (the system of record) and each patient's latest
// vitals in Redis (a cache with a TTL).
//
// PostgreSQL: the schema is embedded (migrations/*.sql) and applied at start under an advisory
// lock; a batch (observations, dead letters and the shard's checkpoint) is written in one
// transaction, so a checkpoint never runs ahead of the data it covers, and every write is
// idempotent, so a replayed stream record changes nothing.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/carepulse/hipaa-pipeline/services/observation"
)

// Observation is a valid record with the stream position it was read from.
type Observation struct {
	observation.Record
	ShardID  string
	Sequence string
	// Payload is the stream record's data, kept for a dead letter should the observation conflict.
	Payload []byte
}

// payload returns the record as it came from the stream, or re-encoded when that is not kept.
func (o Observation) payload() []byte {
	if o.Payload != nil {
		return o.Payload
	}
	b, err := json.Marshal(o.Record)
	if err != nil { // a Record always encodes; keep the dead letter anyway
		return []byte{}
	}
	return b
}

// DeadLetter is a stream record that was rejected, with the reason.
type DeadLetter struct {
	ShardID  string
	Sequence string
	Payload  []byte
	Reason   string
}

// Batch is what a processor stores for one shard in one transaction.
type Batch struct {
	Stream       string
	ShardID      string
	Observations []Observation
	DeadLetters  []DeadLetter
	// Checkpoint is the sequence number of the last record the batch covers ("" keeps the
	// stored one). Finished marks the shard as read to its end.
	Checkpoint string
	Finished   bool
	// Lease, when set, fences the write: it stores nothing and fails with ErrLeaseLost unless
	// the shard's lease is still held with this owner and token (checked, and locked against a
	// takeover, in the same transaction).
	Lease *Lease
}

// Result tells what a Write changed.
type Result struct {
	// Inserted are the observations stored by this write (not already there).
	Inserted []Observation
	// Duplicates counts observations already stored with the same content (replays, resends).
	Duplicates int
	// DeadLettered counts dead letters stored by this write (replayed ones excluded), conflicts included.
	DeadLettered int
	// Conflicts counts observations whose key (device, code, observed-at) was already stored with
	// a different content; they went to the dead-letter table.
	Conflicts int
	// Checkpoint is the shard's stored sequence number after the write; it is ahead of the
	// batch's when another consumer already stored further.
	Checkpoint string
}

// ReasonConflict is the dead-letter reason of an observation whose key is stored with other values.
const ReasonConflict = "conflict: another observation of the same device, code and observedAt is stored with a different patient, facility, value or unit"

var sequencePattern = regexp.MustCompile(`^[0-9]{1,128}$`)

// Store writes to and reads from PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects to PostgreSQL (dsn in libpq URL or key=value form; the deployed configuration
// uses sslmode=verify-full), checks the connection and applies the migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors can quote the DSN, password included: never wrap them.
		return nil, errors.New("store: the PostgreSQL DSN cannot be parsed")
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open with a parsed pool configuration (e.g. one whose BeforeConnect sets an IAM
// auth token as each new connection's password).
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: reach PostgreSQL at %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	if err := Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool}, nil
}

// Close releases the connections.
func (s *Store) Close() { s.pool.Close() }

// Pool exposes the connection pool (for readers such as the read API, and tests).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

const insertObservations = `
WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[],
                         $6::double precision[], $7::text[], $8::text[], $9::text[], $10::int[])
        AS t(device_id, code, observed_at, patient_id, facility_id, value, unit, shard, seq, idx)
), ins AS (
    INSERT INTO observations (device_id, code, observed_at, patient_id, facility_id, value, unit,
                              stream_shard_id, stream_sequence)
    SELECT device_id, code, observed_at, patient_id, facility_id, value, unit, shard, seq FROM input
    ON CONFLICT (device_id, code, observed_at) DO NOTHING
    RETURNING device_id, code, observed_at
)
SELECT i.idx,
       EXISTS (SELECT 1 FROM ins WHERE ins.device_id = i.device_id AND ins.code = i.code AND ins.observed_at = i.observed_at) AS inserted,
       EXISTS (SELECT 1 FROM observations o
               WHERE o.device_id = i.device_id AND o.code = i.code AND o.observed_at = i.observed_at
                 AND (o.patient_id, o.facility_id, o.value, o.unit) = (i.patient_id, i.facility_id, i.value, i.unit)) AS same
FROM input i`

const insertDeadLetters = `
INSERT INTO dead_letters (stream_shard_id, stream_sequence, payload, reason)
SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[])
ON CONFLICT (stream_shard_id, stream_sequence) DO NOTHING`

const upsertCheckpoint = `
INSERT INTO checkpoints (stream_name, shard_id, sequence_number, finished) VALUES ($1, $2, $3, $4)
ON CONFLICT (stream_name, shard_id) DO UPDATE SET
    sequence_number = CASE
        WHEN excluded.sequence_number = '' THEN checkpoints.sequence_number
        WHEN checkpoints.sequence_number = '' THEN excluded.sequence_number
        WHEN checkpoints.sequence_number::numeric < excluded.sequence_number::numeric THEN excluded.sequence_number
        ELSE checkpoints.sequence_number END,
    finished = checkpoints.finished OR excluded.finished,
    updated_at = now()
RETURNING sequence_number`

// Write stores a batch in one transaction: new observations, dead letters (conflicting
// observations included) and the shard's checkpoint. Replayed records change nothing.
func (s *Store) Write(ctx context.Context, b Batch) (Result, error) {
	if b.Stream == "" || b.ShardID == "" {
		return Result{}, errors.New("store: batch without stream name or shard ID")
	}
	if b.Checkpoint != "" && !sequencePattern.MatchString(b.Checkpoint) {
		return Result{}, fmt.Errorf("store: shard %s: checkpoint is not a stream sequence number (1-128 digits)", b.ShardID)
	}
	if b.Lease != nil && (b.Lease.Stream != b.Stream || b.Lease.ShardID != b.ShardID || b.Lease.Owner == "") {
		return Result{}, fmt.Errorf("store: shard %s: the batch's lease is not a lease of this stream and shard", b.ShardID)
	}
	obs, dead, err := dedupe(b)
	if err != nil {
		return Result{}, err
	}
	var res Result
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if b.Lease != nil {
			if err := holdLease(ctx, tx, *b.Lease); err != nil {
				return err
			}
		}
		if len(obs) > 0 {
			inserted, conflicts, dup, err := insertObs(ctx, tx, obs)
			if err != nil {
				return err
			}
			res.Inserted, res.Duplicates, res.Conflicts = inserted, dup, len(conflicts)
			for _, o := range conflicts {
				dead = append(dead, DeadLetter{ShardID: o.ShardID, Sequence: o.Sequence, Payload: o.payload(), Reason: ReasonConflict})
			}
		}
		if len(dead) > 0 {
			n, err := insertDead(ctx, tx, dead)
			if err != nil {
				return err
			}
			res.DeadLettered = n
		}
		if err := tx.QueryRow(ctx, upsertCheckpoint, b.Stream, b.ShardID, b.Checkpoint, b.Finished).Scan(&res.Checkpoint); err != nil {
			return fmt.Errorf("store checkpoint of shard %s: %w", b.ShardID, err)
		}
		return nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("store: write batch of shard %s (%d observations, %d dead letters): %w", b.ShardID, len(obs), len(dead), err)
	}
	return res, nil
}

// holdLease checks that the lease is held with its owner and token and locks its row until the
// transaction ends, so no worker takes it over before the batch and its checkpoint are stored.
func holdLease(ctx context.Context, tx pgx.Tx, l Lease) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM shard_leases
		WHERE stream_name = $1 AND shard_id = $2 AND owner = $3 AND token = $4 FOR SHARE`,
		l.Stream, l.ShardID, l.Owner, l.Token).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: worker %s no longer holds the lease of shard %s (token %d): another worker took it or it was released",
			ErrLeaseLost, l.Owner, l.ShardID, l.Token)
	}
	if err != nil {
		return fmt.Errorf("check lease of shard %s: %w", l.ShardID, err)
	}
	return nil
}

// dedupe checks the stream positions and resolves duplicates inside the batch (which one
// statement cannot see): the same content is kept once, a different content under the same key
// becomes a dead letter.
func dedupe(b Batch) ([]Observation, []DeadLetter, error) {
	type key struct {
		device, code string
		at           time.Time
	}
	seen := make(map[key]Observation, len(b.Observations))
	obs := make([]Observation, 0, len(b.Observations))
	dead := append([]DeadLetter(nil), b.DeadLetters...)
	for i, o := range b.Observations {
		if o.ShardID == "" || !sequencePattern.MatchString(o.Sequence) {
			return nil, nil, fmt.Errorf("store: shard %s: observation %d has no valid stream position", b.ShardID, i)
		}
		k := key{o.DeviceID, o.Code, o.ObservedAt.UTC().Truncate(time.Microsecond)}
		if prev, ok := seen[k]; ok {
			if prev.PatientID != o.PatientID || prev.FacilityID != o.FacilityID || prev.Value != o.Value || prev.Unit != o.Unit {
				dead = append(dead, DeadLetter{ShardID: o.ShardID, Sequence: o.Sequence, Payload: o.payload(), Reason: ReasonConflict})
			}
			continue
		}
		seen[k] = o
		obs = append(obs, o)
	}
	for i, d := range dead {
		if d.ShardID == "" || !sequencePattern.MatchString(d.Sequence) || d.Reason == "" {
			return nil, nil, fmt.Errorf("store: shard %s: dead letter %d has no valid stream position or no reason", b.ShardID, i)
		}
	}
	return obs, dead, nil
}

func insertObs(ctx context.Context, tx pgx.Tx, obs []Observation) (inserted, conflicts []Observation, duplicates int, err error) {
	n := len(obs)
	dev, code, pat, fac, unit, shard, seq := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	at, val, idx := make([]time.Time, n), make([]float64, n), make([]int32, n)
	for i, o := range obs {
		dev[i], code[i], pat[i], fac[i], unit[i], shard[i], seq[i] = o.DeviceID, o.Code, o.PatientID, o.FacilityID, o.Unit, o.ShardID, o.Sequence
		at[i], val[i], idx[i] = o.ObservedAt, o.Value, int32(i)
	}
	rows, err := tx.Query(ctx, insertObservations, dev, code, at, pat, fac, val, unit, shard, seq, idx)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("insert observations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int32
		var ins, same bool
		if err := rows.Scan(&i, &ins, &same); err != nil {
			return nil, nil, 0, fmt.Errorf("insert observations: read result: %w", err)
		}
		switch {
		case ins:
			inserted = append(inserted, obs[i])
		case same:
			duplicates++
		default:
			conflicts = append(conflicts, obs[i])
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, 0, fmt.Errorf("insert observations: %w", err)
	}
	return inserted, conflicts, duplicates, nil
}

func insertDead(ctx context.Context, tx pgx.Tx, dead []DeadLetter) (int, error) {
	n := len(dead)
	shard, seq, reason, payload := make([]string, n), make([]string, n), make([]string, n), make([][]byte, n)
	for i, d := range dead {
		shard[i], seq[i], reason[i], payload[i] = d.ShardID, d.Sequence, d.Reason, d.Payload
		if payload[i] == nil {
			payload[i] = []byte{}
		}
	}
	tag, err := tx.Exec(ctx, insertDeadLetters, shard, seq, payload, reason)
	if err != nil {
		return 0, fmt.Errorf("insert dead letters: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// Checkpoint returns the stored sequence number of a shard ("" when none) and whether the shard
// was read to its end; found is false when the shard was never checkpointed.
func (s *Store) Checkpoint(ctx context.Context, stream, shardID string) (seq string, finished, found bool, err error) {
	err = s.pool.QueryRow(ctx, `SELECT sequence_number, finished FROM checkpoints WHERE stream_name = $1 AND shard_id = $2`,
		stream, shardID).Scan(&seq, &finished)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, false, nil
	}
	if err != nil {
		return "", false, false, fmt.Errorf("store: read checkpoint of shard %s: %w", shardID, err)
	}
	return seq, finished, true, nil
}
