// Command docs regenerates the control-mapping report of one stack from its evidence:
//
//	go run ./compliance-docs/cmd/docs -dir compliance-docs/reports/prod
//
// reads resources.json (and summary.json, policy-events.json when present) in -dir, evaluates
// the resources with the pack and writes report.md, report.html, report.json and report.sarif
// beside them. Output is stable: regenerating from the same evidence gives the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/evidence"
	"github.com/carepulse/hipaa-pipeline/compliance-docs/report"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "docs:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("docs", flag.ContinueOnError)
	dir := fs.String("dir", "", "evidence directory of `make audit` (compliance-docs/reports/<stack>); the report is written there")
	out := fs.String("out", "", "write the report here instead of -dir")
	display := fs.String("display", "", "how the report names the evidence directory (default: -dir as given)")
	stack := fs.String("stack", "", "stack name (default: from summary.json or the resources' URNs)")
	commit := fs.String("commit", "", "commit of the evidence run (default: summary.json's, else left out)")
	generated := fs.String("generated-at", "", "timestamp to print in the report (default: none, for stable output)")
	asOf := fs.String("as-of", "", "date (YYYY-MM-DD) suppressions expire against (default: today)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() != 0 {
		return fmt.Errorf("usage: docs -dir compliance-docs/reports/<stack> [-out DIR] [-stack S] [-commit C] [-generated-at T] [-as-of YYYY-MM-DD]")
	}
	opt := evidence.Options{Stack: *stack, Commit: *commit, GeneratedAt: *generated, Display: *display}
	if *asOf != "" {
		t, err := time.Parse("2006-01-02", *asOf)
		if err != nil {
			return fmt.Errorf("-as-of %q is not a date like 2027-01-31", *asOf)
		}
		opt.AsOf = t
	}
	if opt.Display == "" {
		opt.Display = filepath.ToSlash(filepath.Clean(*dir))
	}
	in, err := evidence.FromDir(*dir, opt)
	if err != nil {
		return err
	}
	r, err := report.Build(in)
	if err != nil {
		return err
	}
	target := *dir
	if *out != "" {
		target = *out
	}
	if err := report.Write(target, r); err != nil {
		return err
	}
	fmt.Printf("docs: %s: %d controls, %d policies, %d resources, %d findings -> %s\n",
		r.Scope.Stack, r.Coverage.Controls.Total, r.Coverage.Policies.Total, r.Coverage.Resources.Total, len(r.Findings), target)
	return nil
}
