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

func rec(facility, patient, code string, value float64, at time.Time) observation.Record {
	unit := "/min"
	if code == observation.CodeSpO2 {
		unit = "%"
	}
	return observation.Record{DeviceID: "dev-" + patient, PatientID: patient, FacilityID: facility, Code: code, Value: value, Unit: unit, ObservedAt: at}
}

func TestVitalsKeepTheNewestPerCodeWithTTL(t *testing.T) {
	rdb, prefix := testenv.NewRedis(t)
	v, err := NewVitals(rdb, prefix, time.Hour)
	require.NoError(t, err)
	ctx := context.Background()

	require.NoError(t, v.Update(ctx, []observation.Record{
		rec("fac-1", "pat-1", observation.CodeHeartRate, 70, t0),
		rec("fac-1", "pat-1", observation.CodeHeartRate, 75, t0.Add(time.Microsecond)), // newer by 1µs
		rec("fac-1", "pat-1", observation.CodeSpO2, 96, t0),
		rec("fac-2", "pat-1", observation.CodeHeartRate, 110, t0), // same patient ID, other facility
	}))
	// A replayed older record does not overwrite the newer value.
	require.NoError(t, v.Update(ctx, []observation.Record{rec("fac-1", "pat-1", observation.CodeHeartRate, 70, t0)}))

	got, err := v.LatestVitals(ctx, "fac-1", "pat-1")
	require.NoError(t, err)
	assert.Equal(t, map[string]Latest{
		observation.CodeHeartRate: {Value: 75, Unit: "/min", ObservedAt: t0.Add(time.Microsecond), DeviceID: "dev-pat-1"},
		observation.CodeSpO2:      {Value: 96, Unit: "%", ObservedAt: t0, DeviceID: "dev-pat-1"},
	}, got)
	other, err := v.LatestVitals(ctx, "fac-2", "pat-1")
	require.NoError(t, err)
	assert.Equal(t, map[string]Latest{observation.CodeHeartRate: {Value: 110, Unit: "/min", ObservedAt: t0, DeviceID: "dev-pat-1"}}, other)

	ttl, err := rdb.PTTL(ctx, v.Key("fac-1", "pat-1")).Result()
	require.NoError(t, err)
	assert.Greater(t, ttl, 59*time.Minute)
	assert.LessOrEqual(t, ttl, time.Hour)

	none, err := v.LatestVitals(ctx, "fac-1", "nobody")
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestVitalsExpire(t *testing.T) {
	rdb, prefix := testenv.NewRedis(t)
	v, err := NewVitals(rdb, prefix, time.Second)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, v.Update(ctx, []observation.Record{rec("fac-1", "pat-9", observation.CodeHeartRate, 60, t0)}))
	got, err := v.LatestVitals(ctx, "fac-1", "pat-9")
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Eventually(t, func() bool {
		n, err := rdb.Exists(ctx, v.Key("fac-1", "pat-9")).Result()
		return err == nil && n == 0
	}, 5*time.Second, 100*time.Millisecond)
}

func TestNewVitalsRejectsTinyTTL(t *testing.T) {
	_, err := NewVitals(nil, "", 10*time.Millisecond)
	require.ErrorContains(t, err, "under the 1s minimum")
}
