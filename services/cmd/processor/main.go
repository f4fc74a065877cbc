// Command processor is the Fargate stream processor: it reads the observations' Kinesis stream
// shard by shard, stores them in Aurora PostgreSQL (TLS, migrations applied at start) and the
// latest vitals in ElastiCache Redis (TLS), and stops cleanly on SIGTERM: the batch in flight is
// written and checkpointed, nothing more is read.
//
// Environment: internal/runtimecfg's (HIPAA_PG_DSN or HIPAA_DB_* with IAM auth, HIPAA_REDIS_*), plus HIPAA_STREAM_ARN,
// optional HIPAA_BATCH_SIZE (default 500) and HIPAA_VITALS_TTL (Go duration, default 15m).
// Shard leases (several tasks share the stream): HIPAA_LEASE_DURATION (Go duration in [5s, 10m],
// default 30s), HIPAA_LEASE_RENEW_INTERVAL (at least 1s and at most a third of the lease
// duration; default a third of it), HIPAA_WORKER_ID (optional prefix of this worker's lease
// owner ID; default the host name; a random suffix makes every process unique).
// AWS credentials and region come from the task role (the SDK's default chain).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	_ "golang.org/x/crypto/x509roots/fallback" // root CAs for the AWS APIs: the image has no system store

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
	leaseDuration         time.Duration
	leaseRenew            time.Duration
	workerID              string // prefix of the lease owner ID
}

// workerIDPattern keeps owner IDs printable and short (they are logged and stored).
var workerIDPattern = regexp.MustCompile(`^[A-Za-z0-9.\-_:/]{1,100}$`)

func validWorkerID(id string) bool { return workerIDPattern.MatchString(id) }

// ownerID is this process's unique lease owner ID: the worker ID and a random suffix.
func ownerID(workerID string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux
	return workerID + "-" + hex.EncodeToString(b)
}

func loadSettings(getenv func(string) string) (settings, error) {
	s := settings{streamARN: getenv("HIPAA_STREAM_ARN"), batchSize: 500, ttl: 15 * time.Minute,
		leaseDuration: 30 * time.Second, workerID: getenv("HIPAA_WORKER_ID")}
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
	if v := getenv("HIPAA_LEASE_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 5*time.Second || d > 10*time.Minute {
			return settings{}, fmt.Errorf("HIPAA_LEASE_DURATION must be a Go duration in [5s, 10m] (e.g. 30s), not %q", v)
		}
		s.leaseDuration = d
	}
	s.leaseRenew = s.leaseDuration / 3
	if v := getenv("HIPAA_LEASE_RENEW_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > s.leaseDuration/3 {
			return settings{}, fmt.Errorf("HIPAA_LEASE_RENEW_INTERVAL must be a Go duration of at least 1s and at most a third of the lease duration (%s), not %q",
				s.leaseDuration/3, v)
		}
		s.leaseRenew = d
	}
	if s.workerID != "" && !validWorkerID(s.workerID) {
		return settings{}, errors.New("HIPAA_WORKER_ID must be 1-100 characters of A-Z a-z 0-9 . - _ : /")
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
	workerID := s.workerID
	if workerID == "" {
		if workerID, err = os.Hostname(); err != nil || !validWorkerID(workerID) {
			workerID = "processor"
		}
	}
	owner := ownerID(workerID)
	p, err := processor.New(src, st, vitals, processor.Config{Stream: s.streamName, BatchSize: s.batchSize, Logger: logger,
		Leases: st, Owner: owner, LeaseDuration: s.leaseDuration, LeaseRenewInterval: s.leaseRenew})
	if err != nil {
		return err
	}
	logger.Info("processor started", "stream", s.streamName, "batch_size", s.batchSize, "owner", owner,
		"lease_duration", s.leaseDuration.String(), "lease_renew_interval", s.leaseRenew.String())
	err = p.Run(ctx)
	stats := p.Stats()
	logger.Info("processor totals", "batches", stats.Batches, "stored", stats.Stored, "duplicates", stats.Duplicates,
		"dead_letters", stats.DeadLettered, "conflicts", stats.Conflicts, "cache_errors", stats.CacheErrors,
		"leases_taken", stats.LeasesTaken, "leases_lost", stats.LeasesLost)
	return err
}
