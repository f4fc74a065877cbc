package simulator

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/observation"
)

var start = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

func TestRecordsValidateAsLabelled(t *testing.T) {
	s, err := New(Config{Patients: 40, Abnormal: 0.25, Malformed: 0.05, Seed: 7}, start)
	require.NoError(t, err)
	kinds := map[string]int{}
	abnormalHR := 0
	var valid, invalid int
	for range 80 {
		for _, r := range s.Next() {
			kinds[r.Kind]++
			rec, err := observation.Decode(r.Data, start.Add(time.Hour))
			if r.Valid {
				require.NoError(t, err, "%s: %s", r.Kind, r.Data)
				valid++
				assert.Equal(t, rec.PatientID, r.PartitionKey)
				if rec.Code == observation.CodeHeartRate && rec.Value > 120 {
					abnormalHR++
				}
			} else {
				require.Error(t, err, "%s: %s", r.Kind, r.Data)
				invalid++
			}
		}
	}
	assert.Equal(t, 40*6*80, valid+invalid)
	share := float64(invalid) / float64(valid+invalid)
	assert.InDelta(t, 0.05, share, 0.015)
	assert.Positive(t, kinds["abnormal"])
	assert.Positive(t, kinds["normal"])
	assert.Positive(t, abnormalHR, "deteriorating patients reach tachycardia")
	for _, k := range []string{"truncated", "missing patient", "non-UCUM unit", "implausible value", "unknown code", "bad timestamp"} {
		assert.Positive(t, kinds[k], k)
	}
}

func TestSameSeedSameStream(t *testing.T) {
	a, err := New(Config{Patients: 3, Malformed: 0.2, Abnormal: 0.5, Seed: 42}, start)
	require.NoError(t, err)
	b, err := New(Config{Patients: 3, Malformed: 0.2, Abnormal: 0.5, Seed: 42}, start)
	require.NoError(t, err)
	for range 5 {
		assert.Equal(t, a.Next(), b.Next())
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no patients":       {},
		"negative abnormal": {Patients: 1, Abnormal: -0.1},
		"malformed over 1":  {Patients: 1, Malformed: 1.5},
		"tiny interval":     {Patients: 1, Interval: time.Microsecond},
		"no facility":       {Patients: 1, Facilities: -1},
	} {
		_, err := New(cfg, start)
		assert.Error(t, err, name)
	}
}
