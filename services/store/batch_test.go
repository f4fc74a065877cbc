package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/observation"
)

func TestDedupeInsideABatch(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	mk := func(seq string, value float64, at time.Time) Observation {
		return Observation{Record: observation.Record{DeviceID: "d", PatientID: "p", FacilityID: "f", Code: observation.CodeHeartRate,
			Value: value, Unit: "/min", ObservedAt: at}, ShardID: "s", Sequence: seq}
	}
	obs, dead, err := dedupe(Batch{Stream: "v", ShardID: "s", Observations: []Observation{
		mk("1", 70, at),
		mk("2", 70, at.In(time.FixedZone("CET", 3600))), // the same instant written in another zone
		mk("3", 71, at.Add(500*time.Nanosecond)),        // the same microsecond: PostgreSQL's precision
		mk("4", 72, at.Add(time.Second)),
	}})
	require.NoError(t, err)
	require.Len(t, obs, 2)
	assert.Equal(t, "1", obs[0].Sequence)
	assert.Equal(t, "4", obs[1].Sequence)
	require.Len(t, dead, 1)
	assert.Equal(t, "3", dead[0].Sequence)
	assert.Equal(t, ReasonConflict, dead[0].Reason)
	assert.JSONEq(t, `{"deviceId":"d","patientId":"p","facilityId":"f","code":"8867-4","value":71,"unit":"/min","observedAt":"2026-12-03T10:00:00.0000005Z"}`, string(dead[0].Payload))
}

// Invalid batches are refused before any database access (this Store has no pool).
func TestWriteRefusesBeforeTouchingTheDatabase(t *testing.T) {
	s := &Store{}
	for name, b := range map[string]Batch{
		"no stream":        {ShardID: "s"},
		"letters in seq":   {Stream: "v", ShardID: "s", Checkpoint: "0x10"},
		"129 digits":       {Stream: "v", ShardID: "s", Checkpoint: string(make([]byte, 129))},
		"dead w/o reason":  {Stream: "v", ShardID: "s", DeadLetters: []DeadLetter{{ShardID: "s", Sequence: "1"}}},
		"obs w/o position": {Stream: "v", ShardID: "s", Observations: []Observation{{}}},
	} {
		_, err := s.Write(context.Background(), b)
		assert.Error(t, err, name)
	}
}
