//go:build integration

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
	"github.com/carepulse/hipaa-pipeline/services/observation"
	"github.com/carepulse/hipaa-pipeline/services/processor"
	"github.com/carepulse/hipaa-pipeline/services/readapi"
	"github.com/carepulse/hipaa-pipeline/services/simulator"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

// stream is an in-memory two-shard stream that routes by partition key, like Kinesis.
type stream struct {
	mu     sync.Mutex
	shards [2][]processor.Record
}

func (s *stream) put(recs []simulator.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		h := fnv.New32a()
		_, _ = h.Write([]byte(r.PartitionKey))
		i := h.Sum32() % 2
		s.shards[i] = append(s.shards[i], processor.Record{SequenceNumber: fmt.Sprintf("%d", 1000+len(s.shards[i])), Data: r.Data})
	}
}

func (s *stream) last(i int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shards[i][len(s.shards[i])-1].SequenceNumber
}

func (s *stream) Shards(context.Context) ([]processor.Shard, error) {
	return []processor.Shard{{ID: "shard-0"}, {ID: "shard-1"}}, nil
}

func (s *stream) Fetch(_ context.Context, shardID, after string, limit int) (processor.Fetched, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.shards[map[string]int{"shard-0": 0, "shard-1": 1}[shardID]]
	i := 0
	if after != "" {
		var n int
		_, _ = fmt.Sscanf(after, "%d", &n)
		i = n - 1000 + 1
	}
	return processor.Fetched{Records: append([]processor.Record(nil), rs[i:min(i+limit, len(rs))]...)}, nil
}

func TestSimulatorThroughProcessorToReadAPI(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	rdb, prefix := testenv.NewRedis(t)
	vitals, err := store.NewVitals(rdb, prefix, time.Hour)
	require.NoError(t, err)

	start := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	sim, err := simulator.New(simulator.Config{Patients: 30, Facilities: 3, Interval: 10 * time.Second, Abnormal: 0.2, Malformed: 0.03, Seed: 11}, start)
	require.NoError(t, err)
	src := &stream{}
	var valid, invalid int
	for range 20 {
		recs := sim.Next()
		for _, r := range recs {
			if r.Valid {
				valid++
			} else {
				invalid++
			}
		}
		src.put(recs)
	}
	require.Positive(t, invalid)

	run := func() processor.Stats {
		p, err := processor.New(src, st, vitals, processor.Config{Stream: "vitals", BatchSize: 250, PollInterval: 5 * time.Millisecond,
			Logger: slog.New(slog.DiscardHandler)})
		require.NoError(t, err)
		rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		go func() {
			for rctx.Err() == nil {
				a, _, _, _ := st.Checkpoint(ctx, "vitals", "shard-0")
				b, _, _, _ := st.Checkpoint(ctx, "vitals", "shard-1")
				if a == src.last(0) && b == src.last(1) {
					cancel()
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
		require.NoError(t, p.Run(rctx))
		return p.Stats()
	}
	stats := run()
	var stored, dead int
	require.NoError(t, st.Pool().QueryRow(ctx, `SELECT count(*) FROM observations`).Scan(&stored))
	require.NoError(t, st.Pool().QueryRow(ctx, `SELECT count(*) FROM dead_letters WHERE reason <> ''`).Scan(&dead))
	assert.Equal(t, valid, stored, "every valid record stored")
	assert.Equal(t, invalid, dead, "every invalid record dead-lettered with a reason")
	assert.Equal(t, int64(valid), stats.Stored)

	// A full replay (checkpoints lost) stores nothing twice.
	_, err = st.Pool().Exec(ctx, `DELETE FROM checkpoints`)
	require.NoError(t, err)
	replay := run()
	assert.Equal(t, int64(0), replay.Stored)
	assert.Equal(t, int64(valid), replay.Duplicates)
	require.NoError(t, st.Pool().QueryRow(ctx, `SELECT count(*) FROM observations`).Scan(&stored))
	assert.Equal(t, valid, stored)

	// The read API returns a patient's vitals to a caller of its facility only.
	api := readapi.New(st.Pool(), vitals, slog.New(slog.DiscardHandler))
	get := func(facility string) (int, readapi.LatestResponse) {
		req := httptest.NewRequest(http.MethodGet, "/patients/pt-000004/vitals/latest", nil)
		req.Header.Set(readapi.HeaderFacility, facility)
		req.Header.Set(readapi.HeaderRole, "clinician")
		req.Header.Set(readapi.HeaderScope, "vitals:read")
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		var body readapi.LatestResponse
		if rec.Code == http.StatusOK {
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		}
		return rec.Code, body
	}
	status, body := get("fac-01") // patient 4 of 3 facilities: 4 % 3 = 1
	require.Equal(t, http.StatusOK, status)
	assert.NotEmpty(t, body.Vitals)
	for code, l := range body.Vitals {
		_, ok := observation.LookupVital(code)
		assert.True(t, ok, code)
		assert.True(t, l.ObservedAt.After(start.Add(18*10*time.Second)), "%s is from the last rounds", code)
	}
	status, _ = get("fac-00")
	assert.Equal(t, http.StatusNotFound, status)
}
