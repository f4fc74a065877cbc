// Command hipaa-policy-pack is the HIPAA policy pack as a Pulumi analyzer plugin:
//
//	pulumi preview --policy-pack ./policypack          (folder form, runtime: go)
//	pulumi preview --policy-pack bin/hipaa-policy-pack  (prebuilt binary, PulumiPolicy.yaml beside it)
//
// It prints its port and serves Pulumi's Analyzer gRPC protocol until the engine stops it.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/carepulse/hipaa-pipeline/policypack/analyzer"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "hipaa-policy-pack: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	policies, err := registry.All()
	if err != nil {
		return fmt.Errorf("loading policies: %w", err)
	}
	sup, err := suppressions.Open("", time.Now(), registry.Known(policies))
	if err != nil {
		return fmt.Errorf("loading suppressions: %w", err)
	}

	srv := analyzer.New(policies, sup)
	defer srv.Close()
	srv.SetEngineAddress(analyzer.EngineAddress(args))

	cancel := make(chan bool)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		close(cancel)
	}()
	return analyzer.Serve(srv, os.Stdout, cancel)
}
