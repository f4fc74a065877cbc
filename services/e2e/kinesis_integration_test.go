//go:build integration

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
	"github.com/carepulse/hipaa-pipeline/services/kinesissource"
	"github.com/carepulse/hipaa-pipeline/services/processor"
	"github.com/carepulse/hipaa-pipeline/services/simulator"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

// placed is a simulated record as Kinesis placed it.
type placed struct {
	simulator.Record
	shard, seq string
}

// putSimulated puts the records into the stream the way cmd/simulator does (PutRecords, at
// most 500 a call, partition key the patient ID) and returns where Kinesis placed each one.
func putSimulated(ctx context.Context, t *testing.T, c *kinesis.Client, name, arn string, recs []simulator.Record) []placed {
	t.Helper()
	var out []placed
	for len(recs) > 0 {
		n := min(len(recs), 500)
		entries := make([]types.PutRecordsRequestEntry, n)
		for i, r := range recs[:n] {
			entries[i] = types.PutRecordsRequestEntry{Data: r.Data, PartitionKey: aws.String(r.PartitionKey)}
		}
		res, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(name), StreamARN: aws.String(arn), Records: entries})
		require.NoError(t, err)
		require.Zero(t, aws.ToInt32(res.FailedRecordCount))
		require.Len(t, res.Records, n)
		for i, r := range res.Records {
			out = append(out, placed{Record: recs[i], shard: aws.ToString(r.ShardId), seq: aws.ToString(r.SequenceNumber)})
		}
		recs = recs[n:]
	}
	return out
}

// firstFetches records, per shard, the position of its first fetch by any of the processors
// of a run: where the reading resumed.
type firstFetches struct {
	mu    sync.Mutex
	first map[string]string // shard -> after of its first fetch
}

func (f *firstFetches) get() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.first)
}

// watchedSource passes calls to the source and records the first fetch of each shard.
type watchedSource struct {
	processor.RecordSource
	seen *firstFetches
}

func (w watchedSource) Fetch(ctx context.Context, shardID, after string, limit int) (processor.Fetched, error) {
	w.seen.mu.Lock()
	if _, ok := w.seen.first[shardID]; !ok {
		w.seen.first[shardID] = after
	}
	w.seen.mu.Unlock()
	return w.RecordSource.Fetch(ctx, shardID, after, limit)
}

// reasonNames is the field a dead letter's reason must name, per simulated defect.
var reasonNames = map[string]string{
	"missing patient":   "patientId",
	"non-UCUM unit":     "unit",
	"implausible value": "value",
	"unknown code":      "code",
	"bad timestamp":     "observedAt",
	"truncated":         "", // not JSON: the reason says so, with no field to name
}

// snapshot is the content of the tables a replay must leave unchanged.
func snapshot(ctx context.Context, t *testing.T, st *store.Store) string {
	t.Helper()
	var s string
	require.NoError(t, st.Pool().QueryRow(ctx, `SELECT
		(SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', device_id, code, observed_at, patient_id, facility_id,
			value, unit, stream_shard_id, stream_sequence, ingested_at), ',' ORDER BY device_id, code, observed_at)), '') FROM observations)
		|| '/' ||
		(SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', stream_shard_id, stream_sequence, encode(payload, 'hex'), reason, received_at),
			',' ORDER BY stream_shard_id, stream_sequence)), '') FROM dead_letters)`).Scan(&s))
	return s
}

// TestSimulatorThroughKinesisToStores runs the simulator's records through a real Kinesis API
// (kinesalite on loopback, AWS SDK for Go v2) and the processor with the production source
// (kinesissource) into PostgreSQL and Redis: one processor alone, and two processors sharing
// the stream with shard leases (the deployed configuration).
func TestSimulatorThroughKinesisToStores(t *testing.T) {
	t.Run("one processor", func(t *testing.T) { simulatorThroughKinesis(t, 0) })
	t.Run("two leased processors", func(t *testing.T) { simulatorThroughKinesis(t, 2) })
}

// simulatorThroughKinesis runs the pipeline with one processor without leases (workers 0) or
// that many processors with leases.
func simulatorThroughKinesis(t *testing.T, workers int) {
	ctx := context.Background()
	client := testenv.NewKinesis(t)
	name, arn := testenv.NewStream(t, client, 3)
	st, err := store.Open(ctx, testenv.NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	rdb, prefix := testenv.NewRedis(t)
	vitals, err := store.NewVitals(rdb, prefix, time.Hour)
	require.NoError(t, err)

	start := time.Now().UTC().Add(-30 * time.Minute).Truncate(time.Second)
	sim, err := simulator.New(simulator.Config{Patients: 25, Facilities: 3, Interval: 10 * time.Second, Abnormal: 0.2, Malformed: 0.04, Seed: 7}, start)
	require.NoError(t, err)
	var recs []simulator.Record
	for range 24 {
		recs = append(recs, sim.Next()...)
	}
	puts := putSimulated(ctx, t, client, name, arn, recs)
	last := map[string]string{} // shard -> its last sequence number
	valid, invalid := map[string]placed{}, map[string]placed{}
	kinds := map[string]int{}
	for _, p := range puts {
		last[p.shard] = p.seq
		if p.Valid {
			valid[p.shard+"/"+p.seq] = p
		} else {
			invalid[p.shard+"/"+p.seq] = p
			kinds[p.Kind]++
		}
	}
	require.Len(t, last, 3, "the patients' records spread over the 3 shards")
	require.Len(t, kinds, len(reasonNames), "every kind of defect occurs: %v", kinds)

	// run starts the processors, each with a new source (restarted tasks), and stops them once
	// every shard's checkpoint is the shard's last record and every shard was fetched from; it
	// returns their summed counters and where each shard's reading started.
	runs := 0
	run := func() (processor.Stats, map[string]string) {
		t.Helper()
		runs++
		ps := make([]*processor.Processor, max(1, workers))
		seen := &firstFetches{first: map[string]string{}}
		resumed := func() (map[string]string, bool) {
			m := seen.get()
			return m, len(m) == len(last)
		}
		for i := range ps {
			ks, err := kinesissource.New(client, arn)
			require.NoError(t, err)
			src := watchedSource{RecordSource: ks, seen: seen}
			cfg := processor.Config{Stream: name, BatchSize: 100, PollInterval: 10 * time.Millisecond,
				ShardRefresh: 50 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}
			if workers > 0 {
				cfg.Leases, cfg.Owner = st, fmt.Sprintf("e2e-run%d-worker%d", runs, i)
				cfg.LeaseDuration, cfg.LeaseRenewInterval = 3*time.Second, 100*time.Millisecond
			}
			ps[i], err = processor.New(src, st, vitals, cfg)
			require.NoError(t, err)
		}
		rctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		go func() {
			for rctx.Err() == nil {
				_, caughtUp := resumed()
				for shard, seq := range last {
					cp, _, _, err := st.Checkpoint(rctx, name, shard)
					caughtUp = caughtUp && err == nil && cp == seq
				}
				if caughtUp {
					cancel()
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
		errs := make([]error, len(ps))
		var wg sync.WaitGroup
		for i, p := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = p.Run(rctx)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "processor %d", i)
		}
		for shard, seq := range last {
			cp, finished, found, err := st.Checkpoint(ctx, name, shard)
			require.NoError(t, err)
			require.True(t, found, shard)
			assert.Equal(t, seq, cp, "%s read to its last record (not before the test's deadline)", shard)
			assert.False(t, finished, "%s is open", shard)
		}
		from, ok := resumed()
		require.True(t, ok, "every shard was fetched from")
		var sum processor.Stats
		for _, p := range ps {
			s := p.Stats()
			sum.Batches += s.Batches
			sum.Stored += s.Stored
			sum.Duplicates += s.Duplicates
			sum.DeadLettered += s.DeadLettered
			sum.Conflicts += s.Conflicts
			sum.CacheErrors += s.CacheErrors
			sum.LeasesTaken += s.LeasesTaken
			sum.LeasesLost += s.LeasesLost
		}
		return sum, from
	}

	stats, from := run()
	for shard := range last {
		assert.Empty(t, from[shard], "%s read from TRIM_HORIZON", shard)
	}
	if workers > 0 {
		assert.GreaterOrEqual(t, stats.LeasesTaken, int64(len(last)), "every shard was read under a lease")
	}
	assert.Equal(t, int64(len(valid)), stats.Stored)
	assert.Equal(t, int64(len(invalid)), stats.DeadLettered)
	assert.Zero(t, stats.Duplicates)
	assert.Zero(t, stats.Conflicts)
	assert.Zero(t, stats.CacheErrors)

	// Every valid record is stored once, with the stream position Kinesis gave it.
	rows, err := st.Pool().Query(ctx, `SELECT device_id, code, observed_at, patient_id, facility_id, value, unit, stream_shard_id, stream_sequence FROM observations`)
	require.NoError(t, err)
	stored := map[string]bool{}
	for rows.Next() {
		var dev, code, pat, fac, unit, shard, seq string
		var at time.Time
		var value float64
		require.NoError(t, rows.Scan(&dev, &code, &at, &pat, &fac, &value, &unit, &shard, &seq))
		key := shard + "/" + seq
		require.False(t, stored[key], "%s stored twice", key)
		stored[key] = true
		p, ok := valid[key]
		require.True(t, ok, "%s is not a valid record put into the stream", key)
		var want struct {
			DeviceID, PatientID, FacilityID, Code, Unit string
			Value                                       float64
			ObservedAt                                  time.Time
		}
		require.NoError(t, json.Unmarshal(p.Data, &want))
		assert.Equal(t, []any{want.DeviceID, want.Code, want.PatientID, want.FacilityID, want.Value, want.Unit}, []any{dev, code, pat, fac, value, unit}, key)
		assert.True(t, want.ObservedAt.Equal(at), key)
	}
	require.NoError(t, rows.Err())
	assert.Len(t, stored, len(valid), "every valid record stored")

	// Every invalid record is dead-lettered once, with its payload and a reason that names the
	// defect's field and no identifier.
	rows, err = st.Pool().Query(ctx, `SELECT stream_shard_id, stream_sequence, payload, reason FROM dead_letters`)
	require.NoError(t, err)
	dead := map[string]bool{}
	for rows.Next() {
		var shard, seq, reason string
		var payload []byte
		require.NoError(t, rows.Scan(&shard, &seq, &payload, &reason))
		key := shard + "/" + seq
		p, ok := invalid[key]
		require.True(t, ok, "%s is not an invalid record put into the stream", key)
		dead[key] = true
		assert.Equal(t, p.Data, payload, key)
		require.NotEmpty(t, reason, key)
		if f := reasonNames[p.Kind]; f != "" {
			assert.True(t, strings.HasPrefix(reason, f+":"), "reason %q of a %q record names %s", reason, p.Kind, f)
		}
		var ids map[string]any
		if json.Unmarshal(p.Data, &ids) == nil {
			for _, k := range []string{"deviceId", "patientId"} {
				if v, ok := ids[k].(string); ok {
					assert.NotContains(t, reason, v, "a reason never carries an identifier")
				}
			}
		}
	}
	require.NoError(t, rows.Err())
	assert.Len(t, dead, len(invalid), "every invalid record dead-lettered")

	// Redis holds each patient's newest valid value per code.
	type obs struct {
		PatientID, FacilityID, Code string
		Value                       float64
		ObservedAt                  time.Time
	}
	newest := map[string]map[string]obs{} // facility/patient -> code -> newest valid record
	for _, p := range valid {
		var r obs
		require.NoError(t, json.Unmarshal(p.Data, &r))
		k := r.FacilityID + "/" + r.PatientID
		if newest[k] == nil {
			newest[k] = map[string]obs{}
		}
		if cur, ok := newest[k][r.Code]; !ok || r.ObservedAt.After(cur.ObservedAt) {
			newest[k][r.Code] = r
		}
	}
	cached := map[string]map[string]store.Latest{}
	for k, want := range newest {
		facility, patient, _ := strings.Cut(k, "/")
		latest, err := vitals.LatestVitals(ctx, facility, patient)
		require.NoError(t, err)
		require.Len(t, latest, len(want), k)
		for code, l := range latest {
			assert.Equal(t, want[code].Value, l.Value, "%s %s", k, code)
			assert.True(t, want[code].ObservedAt.Equal(l.ObservedAt), "%s %s", k, code)
		}
		cached[k] = latest
	}
	require.Len(t, newest, 25, "every patient has valid records")

	// A restarted processor resumes after the checkpoints: nothing to read, nothing changes.
	before := snapshot(ctx, t, st)
	again, from := run()
	assert.Equal(t, last, from, "each shard resumed after its checkpoint")
	assert.Equal(t, processor.Stats{}, zeroLeases(again), "nothing read again after the checkpoints")
	assert.Equal(t, before, snapshot(ctx, t, st))

	// A full replay (checkpoints lost: the stream is read from TRIM_HORIZON) changes nothing.
	_, err = st.Pool().Exec(ctx, `DELETE FROM checkpoints WHERE stream_name = $1`, name)
	require.NoError(t, err)
	replay, from := run()
	for shard := range last {
		assert.Empty(t, from[shard], "%s replayed from TRIM_HORIZON", shard)
	}
	assert.Zero(t, replay.Stored)
	assert.Equal(t, int64(len(valid)), replay.Duplicates)
	assert.Zero(t, replay.Conflicts)
	assert.Equal(t, before, snapshot(ctx, t, st), "observations (ingested_at included) and dead letters unchanged")
	for k, want := range cached {
		facility, patient, _ := strings.Cut(k, "/")
		latest, err := vitals.LatestVitals(ctx, facility, patient)
		require.NoError(t, err)
		assert.Equal(t, want, latest, "%s: the replay moved no latest vital", k)
	}
}

// zeroLeases keeps the record counters of stats (the lease counters are not this test's).
func zeroLeases(s processor.Stats) processor.Stats {
	return processor.Stats{Batches: s.Batches, Stored: s.Stored, Duplicates: s.Duplicates, DeadLettered: s.DeadLettered,
		Conflicts: s.Conflicts, CacheErrors: s.CacheErrors}
}
