package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/carepulse/hipaa-pipeline/services/observation"
)

// Latest is the most recent value of one vital sign of a patient.
type Latest struct {
	Value      float64   `json:"value"`
	Unit       string    `json:"unit"`
	ObservedAt time.Time `json:"observedAt"`
	DeviceID   string    `json:"deviceId"`
}

// Vitals keeps each patient's latest vitals in Redis: one hash per (facility, patient) under
// <prefix>vitals/<facility>/<patient> ('/' cannot occur in IDs), a field per LOINC code holding
// the JSON of Latest and a field <code>@t with its time in microseconds. The key expires TTL
// after its last update, so the cache holds only patients being monitored.
type Vitals struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewVitals returns the Redis side. prefix namespaces the keys (e.g. per environment).
func NewVitals(rdb redis.UniversalClient, prefix string, ttl time.Duration) (*Vitals, error) {
	if ttl < time.Second {
		return nil, fmt.Errorf("store: latest-vitals TTL %s is under the 1s minimum", ttl)
	}
	return &Vitals{rdb: rdb, prefix: prefix, ttl: ttl}, nil
}

// setIfNewer writes a vital only when it is newer than the stored one (records of a shard may
// be replayed, and a patient's devices may sit on several shards), then renews the TTL.
var setIfNewer = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1] .. '@t')
if (not cur) or tonumber(cur) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3], ARGV[1] .. '@t', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 0`)

// Key returns the Redis key of a patient's latest vitals.
func (v *Vitals) Key(facilityID, patientID string) string {
	return v.prefix + "vitals/" + facilityID + "/" + patientID
}

// Update records observations as latest vitals, in one pipeline round trip.
func (v *Vitals) Update(ctx context.Context, recs []observation.Record) error {
	if len(recs) == 0 {
		return nil
	}
	ttl := strconv.FormatInt(v.ttl.Milliseconds(), 10)
	pipe := v.rdb.Pipeline()
	for _, r := range recs {
		b, err := json.Marshal(Latest{Value: r.Value, Unit: r.Unit, ObservedAt: r.ObservedAt.UTC(), DeviceID: r.DeviceID})
		if err != nil {
			return fmt.Errorf("store: encode latest vital: %w", err)
		}
		// EVAL, not EVALSHA: a pipeline cannot fall back when the script cache was flushed.
		setIfNewer.Eval(ctx, pipe, []string{v.Key(r.FacilityID, r.PatientID)},
			r.Code, strconv.FormatInt(r.ObservedAt.UnixMicro(), 10), string(b), ttl)
	}
	cmds, err := pipe.Exec(ctx)
	if err != nil {
		failed := 0
		for _, c := range cmds {
			if c.Err() != nil {
				failed++
			}
		}
		return fmt.Errorf("store: update latest vitals in Redis (%d of %d failed): %w", failed, len(recs), err)
	}
	return nil
}

// LatestVitals returns a patient's latest vital per LOINC code; an empty map when none is cached.
func (v *Vitals) LatestVitals(ctx context.Context, facilityID, patientID string) (map[string]Latest, error) {
	m, err := v.rdb.HGetAll(ctx, v.Key(facilityID, patientID)).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("store: read latest vitals from Redis: %w", err)
	}
	out := make(map[string]Latest, len(m)/2)
	for field, val := range m {
		if strings.HasSuffix(field, "@t") {
			continue
		}
		var l Latest
		if err := json.Unmarshal([]byte(val), &l); err != nil {
			return nil, fmt.Errorf("store: latest vital %s in Redis is not valid JSON: %w", field, err)
		}
		out[field] = l
	}
	return out, nil
}
