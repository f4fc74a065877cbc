package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
	"github.com/carepulse/hipaa-pipeline/policypack/stackfile"
	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hipaa-audit check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text or json")
	configPath := fs.String("config", "", "Pulumi policy config JSON (as for pulumi --policy-pack-config)")
	supPath := fs.String("suppressions", "", "suppressions YAML (default: the pack's own suppressions.yaml)")
	stackName := fs.String("stack", "", "stack name (default: from the resources' URNs)")
	project := fs.String("project", "", "project name (default: from the resources' URNs)")
	fs.Usage = func() {
		_, _ = fmt.Fprintln(stderr, "usage: hipaa-audit check [--format text|json] [--config policy-config.json] [--suppressions file.yaml] [--stack name] [--project name] FILE")
		_, _ = fmt.Fprintln(stderr, "FILE is a `pulumi stack export`, a `pulumi preview --json` or a fixture file.")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage // the flag package has printed the problem and the usage
	}
	if len(files) != 1 {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit check: expected exactly one FILE, got %d\n", len(files))
		fs.Usage()
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit check: --format %q is not text or json\n", *format)
		return exitUsage
	}

	report, err := check(files[0], *configPath, *supPath, *stackName, *project)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit check: %v\n", err)
		return exitUsage
	}
	var out bytes.Buffer
	if *format == "json" {
		err = writeJSON(&out, report)
	} else {
		err = writeText(&out, report)
	}
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit check: %v\n", err)
		return exitUsage
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit check: writing output: %v\n", err)
		return exitUsage
	}
	if report.Summary.Mandatory > 0 {
		return exitMandatory
	}
	return exitOK
}

// parseInterspersed parses flags that may come before or after the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// loadPolicies returns the pack's policies (tests substitute their own).
var loadPolicies = registry.All

// check loads the pack, the configuration, the suppressions and the file, and evaluates.
func check(file, configPath, supPath, stackName, project string) (evaluate.Report, error) {
	policies, err := loadPolicies()
	if err != nil {
		return evaluate.Report{}, fmt.Errorf("loading the policy pack: %w", err)
	}
	cfg := packconfig.Defaults(policies)
	if configPath != "" {
		if cfg, err = packconfig.Load(configPath, policies); err != nil {
			return evaluate.Report{}, err
		}
	}
	sup, err := suppressions.Open(supPath, time.Now(), registry.Known(policies))
	if err != nil {
		return evaluate.Report{}, err
	}
	resources, info, err := stackfile.Read(file)
	if err != nil {
		return evaluate.Report{}, err
	}
	if len(resources) == 0 {
		// A pass over nothing would read as a clean bill of health.
		return evaluate.Report{}, fmt.Errorf("%s: no resources to check (an empty stack, or a file of another kind): nothing was verified", file)
	}
	stack := evaluate.Stack{Project: info.Project, Name: info.Stack}
	if stackName != "" {
		stack.Name = stackName
	}
	if project != "" {
		stack.Project = project
	}
	return evaluate.Evaluate(policies, cfg, sup, stack, resources), nil
}

func writeJSON(w io.Writer, r evaluate.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encoding the report: %w", err)
	}
	return nil
}

func writeText(w io.Writer, r evaluate.Report) error {
	var b strings.Builder
	_, _ = fmt.Fprintf(&b, "%s %s: stack %s (project %s), %d resource(s) checked\n\n",
		r.Pack.Name, r.Pack.Version, orDash(r.Stack.Name), orDash(r.Stack.Project), r.Resources)
	for _, f := range r.Findings {
		writeFinding(&b, strings.ToUpper(string(f.Enforcement)), f)
	}
	for _, s := range r.Suppressed {
		writeFinding(&b, "SUPPRESSED", s.Finding)
		_, _ = fmt.Fprintf(&b, "    suppressed until %s by %s: %s (pattern %s)\n",
			s.Suppression.Expires, s.Suppression.Owner, s.Suppression.Reason, s.Suppression.URN)
	}
	for _, e := range r.ExpiredSuppressions {
		_, _ = fmt.Fprintf(&b, "EXPIRED SUPPRESSION  %s on %s expired %s (owner %s): it no longer suppresses\n\n",
			e.Policy, e.URN, e.Expires, e.Owner)
	}
	if len(r.Disabled) > 0 {
		_, _ = fmt.Fprintf(&b, "disabled by config: %s\n\n", strings.Join(r.Disabled, ", "))
	}
	s := r.Summary
	_, _ = fmt.Fprintf(&b, "Summary: %d mandatory, %d advisory, %d suppressed finding(s); %d pass, %d fail, %d undetermined, %d not applicable\n",
		s.Mandatory, s.Advisory, s.Suppressed, s.Pass, s.Fail, s.Undetermined, s.NotApplicable)
	if s.Mandatory > 0 {
		b.WriteString("Result: FAIL (mandatory findings)\n")
	} else {
		b.WriteString("Result: PASS (no mandatory finding)\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFinding(b *strings.Builder, label string, f evaluate.Finding) {
	status := ""
	if f.Status == policy.Undetermined {
		status = " (undetermined)"
	}
	_, _ = fmt.Fprintf(b, "%-10s %s%s  [%s]  severity %s\n", label, f.Policy, status, strings.Join(f.Controls, ", "), f.Severity)
	_, _ = fmt.Fprintf(b, "    resource: %s (%s)\n", f.URN, f.Type)
	_, _ = fmt.Fprintf(b, "    %s\n", f.Message)
	if f.Status == policy.Fail && f.Remediation != "" {
		_, _ = fmt.Fprintf(b, "    fix: %s\n", f.Remediation)
	}
	b.WriteString("\n")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
