//go:build integration

package readapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
	"github.com/carepulse/hipaa-pipeline/services/observation"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

var t0 = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

func o(seq, patient, facility, code string, value float64, unit string, at time.Time) store.Observation {
	return store.Observation{Record: observation.Record{DeviceID: "dev-" + patient, PatientID: patient, FacilityID: facility,
		Code: code, Value: value, Unit: unit, ObservedAt: at}, ShardID: "shard-0", Sequence: seq}
}

type fixture struct {
	st     *store.Store
	vitals *store.Vitals
}

// seed: pt-1 of fac-north has heart rate (3 values) and SpO2 (1) in PostgreSQL, only its heart
// rate in Redis; pt-2 of fac-south has a heart rate.
func seed(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	rdb, prefix := testenv.NewRedis(t)
	v, err := store.NewVitals(rdb, prefix, time.Hour)
	require.NoError(t, err)
	obs := []store.Observation{
		o("1", "pt-1", "fac-north", observation.CodeHeartRate, 70, "/min", t0),
		o("2", "pt-1", "fac-north", observation.CodeHeartRate, 75, "/min", t0.Add(time.Minute)),
		o("3", "pt-1", "fac-north", observation.CodeHeartRate, 140, "/min", t0.Add(2*time.Minute)),
		o("4", "pt-1", "fac-north", observation.CodeSpO2, 91, "%", t0.Add(30*time.Second)),
		o("5", "pt-2", "fac-south", observation.CodeHeartRate, 88, "/min", t0),
	}
	_, err = st.Write(ctx, store.Batch{Stream: "vitals", ShardID: "shard-0", Observations: obs, Checkpoint: "5"})
	require.NoError(t, err)
	require.NoError(t, v.Update(ctx, []observation.Record{obs[2].Record}))
	return fixture{st: st, vitals: v}
}

func get(t *testing.T, api http.Handler, target, facility string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set(HeaderFacility, facility)
	req.Header.Set(HeaderRole, "nurse")
	req.Header.Set(HeaderScope, "vitals:read")
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func TestLatestMergesCacheAndDatabase(t *testing.T) {
	f := seed(t)
	var logs bytes.Buffer
	api := New(f.st.Pool(), f.vitals, slog.New(slog.NewJSONHandler(&logs, nil)))
	status, body := get(t, api, "/patients/pt-1/vitals/latest", "fac-north")
	require.Equal(t, http.StatusOK, status, string(body))
	var got LatestResponse
	require.NoError(t, json.Unmarshal(body, &got))
	assert.Equal(t, LatestResponse{PatientID: "pt-1", Vitals: map[string]store.Latest{
		observation.CodeHeartRate: {Value: 140, Unit: "/min", ObservedAt: t0.Add(2 * time.Minute), DeviceID: "dev-pt-1"},
		observation.CodeSpO2:      {Value: 91, Unit: "%", ObservedAt: t0.Add(30 * time.Second), DeviceID: "dev-pt-1"},
	}}, got)
	assert.NotContains(t, logs.String(), "pt-1")

	// Another facility's caller cannot tell the patient exists.
	status, body = get(t, api, "/patients/pt-1/vitals/latest", "fac-south")
	assert.Equal(t, http.StatusNotFound, status)
	assert.JSONEq(t, `{"error":"no observations of this patient in your facility"}`, string(body))
	status2, body2 := get(t, api, "/patients/pt-404/vitals/latest", "fac-south")
	assert.Equal(t, status, status2)
	assert.Equal(t, string(body), string(body2))
}

func TestLatestFallsBackWhenRedisIsDown(t *testing.T) {
	f := seed(t)
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { _ = down.Close() })
	v, err := store.NewVitals(down, "x/", time.Hour)
	require.NoError(t, err)
	api := New(f.st.Pool(), v, slog.New(slog.DiscardHandler))
	status, body := get(t, api, "/patients/pt-1/vitals/latest", "fac-north")
	require.Equal(t, http.StatusOK, status, string(body))
	var got LatestResponse
	require.NoError(t, json.Unmarshal(body, &got))
	assert.InDelta(t, 140.0, got.Vitals[observation.CodeHeartRate].Value, 0)
	assert.Len(t, got.Vitals, 2)
}

func TestHistory(t *testing.T) {
	f := seed(t)
	api := New(f.st.Pool(), f.vitals, slog.New(slog.DiscardHandler))
	status, body := get(t, api, "/patients/pt-1/vitals/history?from=2026-12-03T10:00:00Z&to=2026-12-03T10:02:00Z", "fac-north")
	require.Equal(t, http.StatusOK, status, string(body))
	var got HistoryResponse
	require.NoError(t, json.Unmarshal(body, &got))
	assert.Equal(t, HistoryResponse{PatientID: "pt-1", From: t0, To: t0.Add(2 * time.Minute), Observations: []HistoryItem{
		{Code: observation.CodeHeartRate, Value: 70, Unit: "/min", ObservedAt: t0, DeviceID: "dev-pt-1"},
		{Code: observation.CodeSpO2, Value: 91, Unit: "%", ObservedAt: t0.Add(30 * time.Second), DeviceID: "dev-pt-1"},
		{Code: observation.CodeHeartRate, Value: 75, Unit: "/min", ObservedAt: t0.Add(time.Minute), DeviceID: "dev-pt-1"},
	}}, got, "to is exclusive")

	status, body = get(t, api, "/patients/pt-1/vitals/history?from=2026-12-03T10:00:00Z&to=2026-12-03T11:00:00Z&code=8867-4&limit=2", "fac-north")
	require.Equal(t, http.StatusOK, status, string(body))
	got = HistoryResponse{}
	require.NoError(t, json.Unmarshal(body, &got))
	require.Len(t, got.Observations, 2)
	assert.True(t, got.Truncated)
	assert.InDelta(t, 75.0, got.Observations[1].Value, 0)

	status, body = get(t, api, "/patients/pt-1/vitals/history?from=2026-12-03T10:00:00Z&to=2026-12-03T11:00:00Z", "fac-south")
	require.Equal(t, http.StatusOK, status)
	got = HistoryResponse{}
	require.NoError(t, json.Unmarshal(body, &got))
	assert.Empty(t, got.Observations, "another facility's patient has no history for this caller")
}
