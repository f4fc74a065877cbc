//go:build integration

package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
	"github.com/carepulse/hipaa-pipeline/services/observation"
)

var t0 = time.Date(2026, 12, 3, 10, 0, 0, 123456000, time.UTC)

func openStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), testenv.NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func obs(seq, device, code string, value float64, at time.Time) Observation {
	unit := "/min"
	if code == observation.CodeSpO2 {
		unit = "%"
	}
	return Observation{
		Record:   observation.Record{DeviceID: device, PatientID: "pat-1", FacilityID: "fac-1", Code: code, Value: value, Unit: unit, ObservedAt: at},
		ShardID:  "shardId-000000000000",
		Sequence: seq,
	}
}

type row struct {
	Device, Code, Patient, Facility, Unit, Shard, Seq string
	At, Ingested                                      time.Time
	Value                                             float64
}

func allObservations(t *testing.T, s *Store) []row {
	t.Helper()
	rows, err := s.Pool().Query(context.Background(), `SELECT device_id, code, patient_id, facility_id, unit, stream_shard_id,
		stream_sequence, observed_at, ingested_at, value FROM observations ORDER BY device_id, code, observed_at`)
	require.NoError(t, err)
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		require.NoError(t, rows.Scan(&r.Device, &r.Code, &r.Patient, &r.Facility, &r.Unit, &r.Shard, &r.Seq, &r.At, &r.Ingested, &r.Value))
		out = append(out, r)
	}
	require.NoError(t, rows.Err())
	return out
}

type deadRow struct {
	Shard, Seq, Reason string
	Payload            []byte
	Received           time.Time
}

func allDead(t *testing.T, s *Store) []deadRow {
	t.Helper()
	rows, err := s.Pool().Query(context.Background(), `SELECT stream_shard_id, stream_sequence, reason, payload, received_at
		FROM dead_letters ORDER BY stream_shard_id, stream_sequence::numeric`)
	require.NoError(t, err)
	defer rows.Close()
	var out []deadRow
	for rows.Next() {
		var r deadRow
		require.NoError(t, rows.Scan(&r.Shard, &r.Seq, &r.Reason, &r.Payload, &r.Received))
		out = append(out, r)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestMigrateTwiceAppliesOnce(t *testing.T) {
	dsn := testenv.NewDatabase(t)
	ctx := context.Background()
	for range 2 {
		s, err := Open(ctx, dsn)
		require.NoError(t, err)
		s.Close()
	}
	s, err := Open(ctx, dsn)
	require.NoError(t, err)
	defer s.Close()
	ms, err := Migrations()
	require.NoError(t, err)
	require.NotEmpty(t, ms)
	var n int
	require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n))
	assert.Equal(t, len(ms), n)
	for _, table := range []string{"observations", "dead_letters", "checkpoints"} {
		var exists bool
		require.NoError(t, s.Pool().QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists))
		assert.True(t, exists, table)
	}
}

func TestOpenBadDSNDoesNotEchoIt(t *testing.T) {
	_, err := Open(context.Background(), "postgres://u:s3cr3t-pw@127.0.0.1:notaport/db")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cr3t-pw")
}

func TestWriteThenReplayChangesNothing(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	b := Batch{
		Stream: "vitals", ShardID: "shardId-000000000000",
		Observations: []Observation{
			obs("1", "dev-a", observation.CodeHeartRate, 72, t0),
			obs("2", "dev-a", observation.CodeSpO2, 97, t0),
			obs("3", "dev-b", observation.CodeHeartRate, 130, t0.Add(time.Second)),
		},
		DeadLetters: []DeadLetter{{ShardID: "shardId-000000000000", Sequence: "4", Payload: []byte(`{"code":1}`), Reason: "record: bad"}},
		Checkpoint:  "4",
	}
	res, err := s.Write(ctx, b)
	require.NoError(t, err)
	assert.Len(t, res.Inserted, 3)
	assert.Equal(t, 0, res.Duplicates)
	assert.Equal(t, 1, res.DeadLettered)
	assert.Equal(t, "4", res.Checkpoint)
	first, firstDead := allObservations(t, s), allDead(t, s)
	require.Len(t, first, 3)
	require.Len(t, firstDead, 1)
	assert.Equal(t, row{Device: "dev-a", Code: "59408-5", Patient: "pat-1", Facility: "fac-1", Unit: "%", Shard: "shardId-000000000000", Seq: "2",
		At: first[0].At, Ingested: first[0].Ingested, Value: 97}, first[0])
	assert.True(t, first[0].At.Equal(t0), "observed_at keeps microseconds")
	assert.Equal(t, deadRow{Shard: "shardId-000000000000", Seq: "4", Reason: "record: bad", Payload: []byte(`{"code":1}`), Received: firstDead[0].Received}, firstDead[0])

	time.Sleep(10 * time.Millisecond) // a replay that rewrote a row would change ingested_at
	res, err = s.Write(ctx, b)
	require.NoError(t, err)
	assert.Empty(t, res.Inserted)
	assert.Equal(t, 3, res.Duplicates)
	assert.Equal(t, 0, res.DeadLettered)
	assert.Equal(t, 0, res.Conflicts)
	assert.Equal(t, first, allObservations(t, s))
	assert.Equal(t, firstDead, allDead(t, s))
	seq, finished, found, err := s.Checkpoint(ctx, "vitals", "shardId-000000000000")
	require.NoError(t, err)
	assert.Equal(t, "4", seq)
	assert.False(t, finished)
	assert.True(t, found)
}

func TestWriteConflictGoesToDeadLetters(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	_, err := s.Write(ctx, Batch{Stream: "vitals", ShardID: "shardId-000000000000",
		Observations: []Observation{obs("10", "dev-a", observation.CodeHeartRate, 72, t0)}, Checkpoint: "10"})
	require.NoError(t, err)

	changed := obs("11", "dev-a", observation.CodeHeartRate, 80, t0)
	changed.Payload = []byte(`{"original":"bytes"}`)
	res, err := s.Write(ctx, Batch{Stream: "vitals", ShardID: "shardId-000000000000", Observations: []Observation{changed}, Checkpoint: "11"})
	require.NoError(t, err)
	assert.Empty(t, res.Inserted)
	assert.Equal(t, 1, res.Conflicts)
	assert.Equal(t, 1, res.DeadLettered)
	rows := allObservations(t, s)
	require.Len(t, rows, 1)
	assert.InDelta(t, 72.0, rows[0].Value, 0, "the stored observation is not overwritten")
	dead := allDead(t, s)
	require.Len(t, dead, 1)
	assert.Equal(t, "11", dead[0].Seq)
	assert.Equal(t, ReasonConflict, dead[0].Reason)
	assert.Equal(t, `{"original":"bytes"}`, string(dead[0].Payload))
}

func TestWriteDuplicatesInsideOneBatch(t *testing.T) {
	s := openStore(t)
	res, err := s.Write(context.Background(), Batch{Stream: "vitals", ShardID: "shardId-000000000000",
		Observations: []Observation{
			obs("1", "dev-a", observation.CodeHeartRate, 72, t0),
			obs("2", "dev-a", observation.CodeHeartRate, 72, t0), // device resend: same content
			obs("3", "dev-a", observation.CodeHeartRate, 99, t0), // same key, other value
		}, Checkpoint: "3"})
	require.NoError(t, err)
	assert.Len(t, res.Inserted, 1)
	assert.Equal(t, 1, res.DeadLettered)
	rows := allObservations(t, s)
	require.Len(t, rows, 1)
	assert.Equal(t, "1", rows[0].Seq)
	dead := allDead(t, s)
	require.Len(t, dead, 1)
	assert.Equal(t, "3", dead[0].Seq)
	assert.Equal(t, ReasonConflict, dead[0].Reason)
	assert.Contains(t, string(dead[0].Payload), `"value":99`)
}

func TestCheckpointOnlyMovesForwardNumerically(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	write := func(seq string, finished bool) Result {
		res, err := s.Write(ctx, Batch{Stream: "vitals", ShardID: "shardId-000000000001", Checkpoint: seq, Finished: finished})
		require.NoError(t, err)
		return res
	}
	big := "49590338271490256608559692538361571095921575989136588898"
	assert.Equal(t, "9", write("9", false).Checkpoint)
	assert.Equal(t, "10", write("10", false).Checkpoint, "10 > 9 as numbers, though not as text")
	assert.Equal(t, big, write(big, false).Checkpoint)
	assert.Equal(t, big, write("11", false).Checkpoint, "a lagging writer does not move it back")
	assert.Equal(t, big, write("", true).Checkpoint)
	seq, finished, found, err := s.Checkpoint(ctx, "vitals", "shardId-000000000001")
	require.NoError(t, err)
	assert.Equal(t, big, seq)
	assert.True(t, finished)
	assert.True(t, found)

	seq, finished, found, err = s.Checkpoint(ctx, "vitals", "shardId-000000000002")
	require.NoError(t, err)
	assert.Equal(t, "", seq)
	assert.False(t, finished)
	assert.False(t, found)
	// Checkpoints are per stream.
	_, _, found, err = s.Checkpoint(ctx, "other", "shardId-000000000001")
	require.NoError(t, err)
	assert.False(t, found)
}

func TestWriteRejectsBadBatchesWritingNothing(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	good := obs("1", "dev-a", observation.CodeHeartRate, 72, t0)
	noSeq := good
	noSeq.Sequence = ""
	tests := []struct {
		name string
		b    Batch
		want string
	}{
		{"no stream", Batch{ShardID: "s", Checkpoint: "1"}, "without stream name or shard ID"},
		{"no shard", Batch{Stream: "vitals", Checkpoint: "1"}, "without stream name or shard ID"},
		{"checkpoint not a number", Batch{Stream: "vitals", ShardID: "s", Checkpoint: "12a"}, "not a stream sequence number"},
		{"observation without position", Batch{Stream: "vitals", ShardID: "s", Observations: []Observation{good, noSeq}, Checkpoint: "1"}, "observation 1 has no valid stream position"},
		{"dead letter without reason", Batch{Stream: "vitals", ShardID: "s", Observations: []Observation{good},
			DeadLetters: []DeadLetter{{ShardID: "s", Sequence: "2"}}, Checkpoint: "2"}, "dead letter 0 has no valid stream position or no reason"},
		// PostgreSQL rejects a NUL in text after the observations were inserted: the
		// transaction must roll them back with the checkpoint.
		{"failure inside the transaction", Batch{Stream: "vitals", ShardID: "s", Observations: []Observation{good},
			DeadLetters: []DeadLetter{{ShardID: "s", Sequence: "2", Reason: "bad\x00reason"}}, Checkpoint: "2"}, "insert dead letters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Write(ctx, tt.b)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, allObservations(t, s))
			assert.Empty(t, allDead(t, s))
			_, _, found, err := s.Checkpoint(ctx, "vitals", "s")
			require.NoError(t, err)
			assert.False(t, found)
		})
	}
}
