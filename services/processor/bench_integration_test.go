//go:build integration

package processor

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
	"github.com/carepulse/hipaa-pipeline/services/observation"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

// BenchmarkProcessorThroughput measures validated observations per second through one shard's
// batch path: decode + validate, one PostgreSQL transaction (upserts + checkpoint), one Redis
// pipeline of latest-vital updates. Records are new (no duplicates), 1 in 100 invalid.
func BenchmarkProcessorThroughput(b *testing.B) {
	for _, size := range []int{50, 200, 500, 1000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			st, err := store.Open(context.Background(), testenv.NewDatabase(b))
			require.NoError(b, err)
			defer st.Close()
			rdb, prefix := testenv.NewRedis(b)
			v, err := store.NewVitals(rdb, prefix, time.Hour)
			require.NoError(b, err)
			p, err := New(newFakeSource(), st, v, Config{Stream: "bench", BatchSize: size,
				Now: func() time.Time { return testNow }, Logger: slog.New(slog.DiscardHandler)})
			require.NoError(b, err)
			log := slog.New(slog.DiscardHandler)
			seq := 0
			batch := func() Fetched {
				f := Fetched{Records: make([]Record, size)}
				for i := range f.Records {
					seq++
					data := invalidRecords[seq%len(invalidRecords)]
					if seq%100 != 0 {
						patient := fmt.Sprintf("p-%d", seq%500)
						data = vital("dev-"+patient, patient, "fac-1", observation.CodeHeartRate, float64(40+seq%100), "/min",
							testNow.Add(-24*time.Hour+time.Duration(seq)*time.Millisecond))
					}
					f.Records[i] = Record{SequenceNumber: fmt.Sprintf("%d", seq), Data: data}
				}
				return f
			}
			ctx := context.Background()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				f := batch()
				b.StartTimer()
				if err := p.process(ctx, log, "shard-0", nil, f); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "obs/s")
			b.ReportMetric(float64(p.Stats().CacheErrors), "cache-errors")
		})
	}
}
