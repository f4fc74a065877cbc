// Command imagebuild builds the Fargate services' container images without a container engine,
// and pushes them.
//
//	imagebuild build -rds-ca-bundle <pem> -out <dir> -source <url> -revision <commit> -version <v> [-created <unix>] [-arch arm64,amd64]
//	imagebuild verify -dir <dir>
//	imagebuild push  -dir <dir> -registry <account>.dkr.ecr.<region>.amazonaws.com [-repository-prefix hipaa-] [-tag <v>]
//
// build cross-compiles each service (CGO_ENABLED=0, -trimpath, the version via -ldflags, with the
// services module's own pins: GOWORK=off), checks the executable is static, and writes one OCI
// image layout per service (an index of the linux/<arch> images) into <dir>/<service>, printing
// each index's digest. -created defaults to SOURCE_DATE_EPOCH; the wall clock is never used, so
// the same sources, CA bundle and flags give the same digests. The RDS CA bundle is an input,
// validated (PEM, CA certificates only, at least one valid now; expired or future ones are
// reported), never downloaded nor invented.
//
// verify reads the layouts back and checks each image (user 10001:10001, entrypoint, ports, exactly
// the expected files and modes, a static executable, a valid CA bundle matching its label) and
// prints what it holds.
//
// push verifies the same way, then uploads each layout's index by digest to <registry>/<prefix><service> with the default
// keychain's credentials (the Docker config and its credential helpers) and prints the
// <repository>@sha256:... reference to set as processorImage / readApiImage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return // the flag set printed the usage
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "imagebuild:", err)
		os.Exit(1)
	}
}

const usage = "usage: imagebuild build|verify|push [flags] (imagebuild <subcommand> -h)"

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "build":
		opts, err := parseBuild(args[1:], getenv)
		if err != nil {
			return err
		}
		return build(ctx, opts, out)
	case "verify":
		opts, err := parseVerify(args[1:])
		if err != nil {
			return err
		}
		return verify(opts, time.Now(), out)
	case "push":
		opts, err := parsePush(args[1:])
		if err != nil {
			return err
		}
		return push(ctx, opts, out)
	default:
		return fmt.Errorf("unknown subcommand %q; %s", args[0], usage)
	}
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	var items []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			items = append(items, s)
		}
	}
	return items
}

// createdTime reads -created or SOURCE_DATE_EPOCH (unix seconds).
func createdTime(flagValue string, getenv func(string) string) (time.Time, error) {
	v, from := flagValue, "-created"
	if v == "" {
		v, from = getenv("SOURCE_DATE_EPOCH"), "SOURCE_DATE_EPOCH"
	}
	if v == "" {
		return time.Time{}, errors.New("the image creation time is not set: give -created <unix seconds> or SOURCE_DATE_EPOCH (e.g. the commit time: git log -1 --format=%ct)")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, fmt.Errorf("%s must be a positive number of seconds since 1970 (has %q)", from, v)
	}
	return time.Unix(n, 0).UTC(), nil
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("imagebuild "+name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return fs
}
