// Command readapi serves the read API (package readapi) behind the network load balancer, over
// Aurora PostgreSQL and ElastiCache Redis (both TLS, see internal/runtimecfg), with HTTP
// timeouts and a graceful shutdown on SIGTERM. GET /healthz answers the load balancer.
//
// Environment: internal/runtimecfg's, plus HIPAA_LISTEN_ADDR (default :8080).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/carepulse/hipaa-pipeline/services/internal/runtimecfg"
	"github.com/carepulse/hipaa-pipeline/services/readapi"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(logger); err != nil {
		logger.Error("read API stopped", "error", err)
		os.Exit(1)
	}
}

// handler adds the health check to the API.
func handler(api http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.Handle("/", api)
	return mux
}

func run(logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	cfg, err := runtimecfg.Load(os.Getenv)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.PostgresDSN)
	if err != nil {
		return err
	}
	defer st.Close()
	rdb := redis.NewClient(cfg.Redis)
	defer func() { _ = rdb.Close() }()
	vitals, err := store.NewVitals(rdb, "", time.Minute) // read-only here: the TTL is the processor's
	if err != nil {
		return err
	}
	addr := os.Getenv("HIPAA_LISTEN_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	srv := &http.Server{Addr: addr, Handler: handler(readapi.New(st.Pool(), vitals, logger)),
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("read API listening", "addr", addr)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
