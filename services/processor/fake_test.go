package processor

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/carepulse/hipaa-pipeline/services/observation"
)

// fakeSource is an in-memory stream with Kinesis' semantics: ordered records per shard with
// numeric sequence numbers, closed shards that end, parents after resharding.
type fakeSource struct {
	mu      sync.Mutex
	shards  []Shard
	records map[string][]Record
	closed  map[string]bool
	events  []string // "fetch <shard>" and "end <shard>", in order
	// onFetch, when set, runs before a fetch that returns records.
	onFetch func(shardID string)
}

func newFakeSource() *fakeSource {
	return &fakeSource{records: map[string][]Record{}, closed: map[string]bool{}}
}

func (f *fakeSource) addShard(id string, closed bool, parents ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shards = append(f.shards, Shard{ID: id, ParentIDs: parents})
	f.closed[id] = closed
}

// put appends data to a shard with the next sequence number (Kinesis-like, 56 digits, distinct
// per shard) and returns that number.
func (f *fakeSource) put(shardID string, data []byte) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	seq := fmt.Sprintf("4959%02d%050d", len(shardID)%100, len(f.records[shardID])+1)
	f.records[shardID] = append(f.records[shardID], Record{SequenceNumber: seq, Data: data})
	return seq
}

func (f *fakeSource) Shards(context.Context) ([]Shard, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Shard(nil), f.shards...), nil
}

func seqLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func (f *fakeSource) Fetch(ctx context.Context, shardID, after string, limit int) (Fetched, error) {
	if err := ctx.Err(); err != nil {
		return Fetched{}, err
	}
	f.mu.Lock()
	rs := f.records[shardID]
	i := 0
	for i < len(rs) && after != "" && !seqLess(after, rs[i].SequenceNumber) {
		i++
	}
	j := min(i+limit, len(rs))
	out := Fetched{Records: append([]Record(nil), rs[i:j]...), End: f.closed[shardID] && j == len(rs)}
	f.events = append(f.events, "fetch "+shardID)
	if out.End {
		f.events = append(f.events, "end "+shardID)
	}
	hook := f.onFetch
	f.mu.Unlock()
	if hook != nil && len(out.Records) > 0 {
		hook(shardID)
	}
	return out, nil
}

var testNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// vital returns a valid record's JSON.
func vital(device, patient, facility, code string, value float64, unit string, at time.Time) []byte {
	b, err := json.Marshal(map[string]any{"deviceId": device, "patientId": patient, "facilityId": facility,
		"code": code, "value": value, "unit": unit, "observedAt": at.Format(time.RFC3339Nano)})
	if err != nil {
		panic(err)
	}
	return b
}

// invalidRecords are malformed or implausible records, one of each kind.
var invalidRecords = [][]byte{
	[]byte(`{"deviceId":"d-1","patientId":"p-1"`),
	[]byte(`not json at all`),
	vital("d-1", "p-1", "fac-a", "2339-0", 5, "mmol/L", testNow),
	vital("d-1", "p-1", "fac-a", observation.CodeHeartRate, 900, "/min", testNow),
	vital("d-1", "p-1", "fac-a", observation.CodeSpO2, 97, "/min", testNow),
	vital("d-1", "Jane Doe", "fac-a", observation.CodeHeartRate, 80, "/min", testNow),
	vital("d-1", "p-1", "fac-a", observation.CodeHeartRate, 80, "/min", testNow.Add(time.Hour)),
}
