// Command processor is the Fargate stream processor: it reads the observations' Kinesis stream
// shard by shard, stores them in Aurora PostgreSQL (TLS, migrations applied at start) and the
// latest vitals in ElastiCache Redis (TLS), and stops cleanly on SIGTERM: the batch in flight is
// written and checkpointed, nothing more is read.
//
// Environment: internal/runtimecfg's (HIPAA_PG_DSN or HIPAA_DB_* with IAM auth, HIPAA_REDIS_*), plus HIPAA_STREAM_ARN,
// optional HIPAA_BATCH_SIZE (default 500) and HIPAA_VITALS_TTL (Go duration, default 15m).
// AWS credentials and region come from the task role (the SDK's default chain).
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/carepulse/hipaa-pipeline/services/internal/backends"
	"github.com/carepulse/hipaa-pipeline/services/internal/runtimecfg"
	"github.com/carepulse/hipaa-pipeline/services/kinesissource"
	"github.com/carepulse/hipaa-pipeline/services/processor"
)

// settings are the processor's own variables.
type settings struct {
	streamARN, streamName string
	batchSize             int
	ttl                   time.Duration
}

func loadSettings(getenv func(string) string) (settings, error) {
	s := settings{streamARN: getenv("HIPAA_STREAM_ARN"), batchSize: 500, ttl: 15 * time.Minute}
	// arn:aws:kinesis:<region>:<account>:stream/<name>
	parts := strings.SplitN(s.streamARN, ":", 6)
	if len(parts) != 6 || parts[2] != "kinesis" || !strings.HasPrefix(parts[5], "stream/") || len(parts[5]) == len("stream/") {
		return settings{}, errors.New("HIPAA_STREAM_ARN must be a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)")
	}
	s.streamName = strings.TrimPrefix(parts[5], "stream/")
	if v := getenv("HIPAA_BATCH_SIZE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return settings{}, errors.New("HIPAA_BATCH_SIZE must be a whole number in [1, 10000]")
		}
		s.batchSize = n
	}
	if v := getenv("HIPAA_VITALS_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return settings{}, errors.New("HIPAA_VITALS_TTL must be a Go duration of at least 1s (e.g. 15m)")
		}
		s.ttl = d
	}
	return s, nil
}

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	slog.SetDefault(logger)
	if err := run(logger); err != nil {
		logger.Error("processor stopped", "error", err)
		os.Exit(1)
	}
	logger.Info("processor stopped cleanly")
}

func run(logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	cfg, err := runtimecfg.Load(os.Getenv)
	if err != nil {
		return err
	}
	s, err := loadSettings(os.Getenv)
	if err != nil {
		return err
	}
	b, err := backends.Open(ctx, cfg, s.ttl)
	if err != nil {
		return err
	}
	defer b.Close()
	awsCfg, st, vitals := b.AWS, b.Store, b.Vitals
	src, err := kinesissource.New(kinesis.NewFromConfig(awsCfg), s.streamARN)
	if err != nil {
		return err
	}
	p, err := processor.New(src, st, vitals, processor.Config{Stream: s.streamName, BatchSize: s.batchSize, Logger: logger})
	if err != nil {
		return err
	}
	logger.Info("processor started", "stream", s.streamName, "batch_size", s.batchSize)
	err = p.Run(ctx)
	stats := p.Stats()
	logger.Info("processor totals", "batches", stats.Batches, "stored", stats.Stored, "duplicates", stats.Duplicates,
		"dead_letters", stats.DeadLettered, "conflicts", stats.Conflicts, "cache_errors", stats.CacheErrors)
	return err
}
