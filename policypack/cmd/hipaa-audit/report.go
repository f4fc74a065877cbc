package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/evidence"
	"github.com/carepulse/hipaa-pipeline/compliance-docs/report"
)

// runReport renders the control-mapping report of one evaluated file (the docs helper's
// package compliance-docs/report does the work; see compliance-docs/README.md).
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hipaa-audit report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "md", "output format: "+strings.Join(report.Formats, ", "))
	configPath := fs.String("config", "", "Pulumi policy config JSON (as for pulumi --policy-pack-config)")
	supPath := fs.String("suppressions", "", "suppressions YAML (default: the pack's own suppressions.yaml)")
	stackName := fs.String("stack", "", "stack name (default: from summary.json or the resources' URNs)")
	commit := fs.String("commit", "", "commit of the evaluated code, written into the report's scope")
	fs.Usage = func() {
		_, _ = fmt.Fprintln(stderr, "usage: hipaa-audit report [--format md|html|json|sarif] [--config policy-config.json] [--suppressions file.yaml] [--stack name] [--commit sha] FILE|DIR")
		_, _ = fmt.Fprintln(stderr, "FILE is a `pulumi stack export`, a `pulumi preview --json` or a fixture file; DIR is an evidence")
		_, _ = fmt.Fprintln(stderr, "directory of `make audit` (resources.json, policy-events.json, summary.json). The report goes to stdout;")
		_, _ = fmt.Fprintln(stderr, "the exit code is 0 whatever the findings (use `hipaa-audit check` to gate), 2 for bad input or usage.")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if len(files) != 1 {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit report: expected exactly one FILE, got %d\n", len(files))
		fs.Usage()
		return exitUsage
	}
	if !slices.Contains(report.Formats, *format) {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit report: --format %q is not one of %s\n", *format, strings.Join(report.Formats, ", "))
		return exitUsage
	}
	opt := evidence.Options{Stack: *stackName, Commit: *commit, ConfigPath: *configPath, SuppressionsPath: *supPath}
	out, err := renderReport(files[0], opt, *format)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit report: %v\n", err)
		return exitUsage
	}
	if _, err := stdout.Write(out); err != nil {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit report: writing the report: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// renderReport evaluates a file (or a `make audit` evidence directory) and renders the report
// in memory, so nothing is written when any step fails.
func renderReport(path string, opt evidence.Options, format string) ([]byte, error) {
	var in report.Input
	var err error
	if st, statErr := os.Stat(path); statErr == nil && st.IsDir() {
		in, err = evidence.FromDir(path, opt)
	} else {
		in, err = evidence.FromFile(path, opt)
	}
	if err != nil {
		return nil, err
	}
	r, err := report.Build(in)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := report.Render(&out, r, format); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
