// Package backends opens what both deployed services talk to: the AWS configuration (task role
// credentials), PostgreSQL (IAM token or DSN, verify-full TLS) and Redis (latest vitals), from
// the settings runtimecfg read.
package backends

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/redis/go-redis/v9"

	"github.com/carepulse/hipaa-pipeline/services/internal/runtimecfg"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

// Backends are the open connections of a service. Close releases them.
type Backends struct {
	AWS    aws.Config
	Store  *store.Store
	Vitals *store.Vitals
	redis  *redis.Client
}

// Open loads the AWS configuration and connects to PostgreSQL and Redis; ttl is the lifetime of
// a latest-vitals entry written through Vitals.
func Open(ctx context.Context, cfg runtimecfg.Config, ttl time.Duration) (*Backends, error) {
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	pgCfg, err := cfg.PoolConfig(awsCfg.Credentials)
	if err != nil {
		return nil, err
	}
	redisOpts, err := cfg.RedisOptions(awsCfg.Credentials)
	if err != nil {
		return nil, err
	}
	st, err := store.OpenConfig(ctx, pgCfg)
	if err != nil {
		return nil, err
	}
	rdb := redis.NewClient(redisOpts)
	vitals, err := store.NewVitals(rdb, "", ttl)
	if err != nil {
		_ = rdb.Close()
		st.Close()
		return nil, err
	}
	return &Backends{AWS: awsCfg, Store: st, Vitals: vitals, redis: rdb}, nil
}

// Close closes Redis and PostgreSQL.
func (b *Backends) Close() {
	_ = b.redis.Close()
	b.Store.Close()
}
