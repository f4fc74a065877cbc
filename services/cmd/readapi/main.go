// Command readapi serves the read API (package readapi) behind the network load balancer, over
// Aurora PostgreSQL and ElastiCache Redis (both TLS, see internal/runtimecfg), with HTTP
// timeouts and a graceful shutdown on SIGTERM. GET /healthz answers the load balancer.
//
// Environment: internal/runtimecfg's, plus HIPAA_LISTEN_ADDR (default :8080) and
// HIPAA_TLS_CERT_FILE/HIPAA_TLS_KEY_FILE: TLS 1.2+ with that certificate, or, on port 8443 without
// them (the deployed configuration behind the NLB's TLS target group), with a self-signed
// certificate generated in memory at start (see serverTLS). AWS credentials and region (for the
// IAM database auth tokens) come from the task role (the SDK's default chain).
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "golang.org/x/crypto/x509roots/fallback" // root CAs for the AWS APIs: the image has no system store

	"github.com/carepulse/hipaa-pipeline/services/internal/backends"
	"github.com/carepulse/hipaa-pipeline/services/internal/runtimecfg"
	"github.com/carepulse/hipaa-pipeline/services/readapi"
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

// newServer is the HTTP server with its timeouts; tlsCfg nil means plain HTTP.
func newServer(addr string, h http.Handler, tlsCfg *tls.Config) *http.Server {
	return &http.Server{Addr: addr, Handler: h, TLSConfig: tlsCfg,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
}

func run(logger *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	cfg, err := runtimecfg.Load(os.Getenv)
	if err != nil {
		return err
	}
	addr := os.Getenv("HIPAA_LISTEN_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	tlsCfg, err := serverTLS(os.Getenv, addr)
	if err != nil {
		return err
	}
	b, err := backends.Open(ctx, cfg, time.Minute) // read-only here: the TTL is the processor's
	if err != nil {
		return err
	}
	defer b.Close()
	st, vitals := b.Store, b.Vitals
	srv := newServer(addr, handler(readapi.New(st.Pool(), vitals, logger)), tlsCfg)
	errc := make(chan error, 1)
	go func() {
		if tlsCfg != nil {
			errc <- srv.ListenAndServeTLS("", "")
			return
		}
		errc <- srv.ListenAndServe()
	}()
	logger.Info("read API listening", "addr", addr, "tls", tlsCfg != nil)
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
