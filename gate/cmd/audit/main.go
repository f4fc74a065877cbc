// Command audit runs `pulumi preview` of the infrastructure program for one stack through the
// real Pulumi engine with the HIPAA policy pack, prints the engine's output and a verdict, and
// writes the evidence files compliance-docs/reports/<stack>/{resources,policy-events,summary}.json.
//
// Offline (the default) it uses the pinned Pulumi CLI built from source, a local file:// backend,
// a private PULUMI_HOME and the stand-in AWS provider: no AWS account is contacted. With
// AUDIT_OFFLINE=0 (or -offline=false) it uses the `pulumi` on PATH and the backend, provider
// and credentials of the environment.
//
// Exit status: 0 the engine lets the deployment through, 1 the engine blocks it on a mandatory
// policy violation, 2 the audit could not run (bad flags, build missing, program error).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/carepulse/hipaa-pipeline/gate/audit"
	"github.com/carepulse/hipaa-pipeline/infrastructure/program"
)

const (
	exitPass    = 0
	exitBlocked = 1
	exitError   = 2
)

func main() {
	// Ctrl-C cancels the engine run (the Automation API stops the CLI) instead of orphaning it.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type flags struct {
	stack, projectDir, pack, packConfig, out string
	cliRoot, cliVersion, pulumiHome, backend string
	providerVersion                          string
	offline                                  bool
}

func parse(args []string, stderr io.Writer) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.stack, "stack", os.Getenv("STACK"), "stack to audit: dev or prod (default $STACK)")
	fs.StringVar(&f.projectDir, "project-dir", "infrastructure", "folder of Pulumi.yaml and Pulumi.<stack>.yaml")
	fs.StringVar(&f.pack, "policy-pack", "bin/policypack/hipaa-policy-pack",
		"policy pack: the built pack binary (PulumiPolicy.yaml beside it) or, online, the pack folder")
	fs.StringVar(&f.packConfig, "policy-pack-config", "", "optional policy pack config file (JSON)")
	fs.StringVar(&f.out, "out", "", "evidence folder (default compliance-docs/reports/<stack>)")
	fs.BoolVar(&f.offline, "offline", os.Getenv("AUDIT_OFFLINE") != "0",
		"offline run: pinned CLI, local backend, stand-in AWS provider (AUDIT_OFFLINE=0 turns it off)")
	fs.StringVar(&f.cliRoot, "cli-root", ".cache/pulumi/v3.276.0", "offline: folder holding bin/pulumi")
	fs.StringVar(&f.cliVersion, "cli-version", "v3.276.0", "offline: version the CLI must report")
	fs.StringVar(&f.pulumiHome, "pulumi-home", ".cache/pulumi/home", "offline: private PULUMI_HOME")
	fs.StringVar(&f.backend, "backend-dir", ".cache/pulumi/backend", "offline: local file:// backend folder")
	fs.StringVar(&f.providerVersion, "provider-version", "6.83.4", "offline: stand-in aws provider version")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if f.stack == "" {
		return f, errors.New("no stack: pass -stack dev|prod (or STACK=...)")
	}
	if f.out == "" {
		f.out = filepath.Join("compliance-docs", "reports", f.stack)
	}
	return f, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parse(args, stderr)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "audit: %v\n", err)
		return exitError
	}
	env := audit.Env{Offline: f.offline}
	provider := audit.Version{Name: "aws", Version: "from the environment"}
	if f.offline {
		abs := func(p string) string {
			a, err := filepath.Abs(p)
			if err != nil {
				return p
			}
			return a
		}
		env.CLIRoot, env.CLIVersion = abs(f.cliRoot), f.cliVersion
		env.PulumiHome, env.BackendDir = abs(f.pulumiHome), abs(f.backend)
		plugin := audit.StandinPluginPath(env.PulumiHome, f.providerVersion)
		if _, err := os.Stat(plugin); err != nil {
			_, _ = fmt.Fprintf(stderr, "audit: the stand-in aws provider is not installed at %s (run `make audit`): %v\n", plugin, err)
			return exitError
		}
		provider = audit.Version{Name: "aws", Version: f.providerVersion,
			Note: "STAND-IN provider for offline runs (gate/cmd/pulumi-resource-aws); no AWS account was contacted"}
	}
	// The sources are read before the run: the binaries were built from them (make audit builds
	// first), and an edit during the preview must not be recorded as what ran.
	base, err := os.Getwd()
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "audit: %v\n", err)
		return exitError
	}
	sources, err := audit.SourceTrees(base, audit.SourcePaths)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "audit: the evidence must name the sources it comes from (run from the project root of a git checkout): %v\n", err)
		return exitError
	}
	var packConfig *audit.FileDigest
	if f.packConfig != "" {
		if packConfig, err = audit.Digest(base, f.packConfig); err != nil {
			_, _ = fmt.Fprintf(stderr, "audit: %v\n", err)
			return exitError
		}
	}
	pol := audit.Policy{Packs: []string{f.pack}}
	if f.packConfig != "" {
		pol.Configs = []string{f.packConfig}
	}

	stack, err := audit.OpenStack(ctx, env, audit.Target{ProjectDir: f.projectDir, Stack: f.stack, Program: program.Run})
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "audit: %v\n", err)
		return exitError
	}
	defer func() {
		if err := stack.Close(); err != nil {
			_, _ = fmt.Fprintf(stderr, "audit: %v\n", err)
		}
	}()
	engineVersion := audit.Version{Name: "pulumi", Version: stack.Workspace().PulumiVersion()}

	_, _ = fmt.Fprintf(stdout, "== pulumi preview --policy-pack %s (stack %s, engine pulumi %s, offline=%t)\n",
		f.pack, f.stack, engineVersion.Version, f.offline)
	res, err := stack.Preview(ctx, pol, stdout)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "audit: %v\n", err)
		return exitError
	}
	blocked := res.Blocked()
	if res.Err != nil && !blocked {
		// The engine's own output (above, on stdout) says why; the error repeats all of it.
		_, _ = fmt.Fprintf(stderr, "audit: the preview failed for a reason other than a policy violation "+
			"(see the engine output above): %s\n", firstLine(res.Err.Error()))
		return exitError
	}
	if blocked && res.Plan == nil {
		// The engine writes no plan when it blocks: get the dependencies without the pack.
		// Without it the evidence lacks dependencies, but the verdict stands.
		if res.Plan, err = stack.DependencyPlan(ctx); err != nil {
			_, _ = fmt.Fprintf(stderr, "audit: resources.json will have no dependencies: %v\n", err)
		}
	}
	ev, err := res.Evidence(audit.Meta{Stack: f.stack, Project: stack.Project, Engine: engineVersion,
		Provider: provider, Offline: f.offline, BaseDir: base, Sources: sources, PackConfig: packConfig})
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "audit: %v\n", err)
		return exitError
	}
	if err := ev.Write(f.out); err != nil {
		_, _ = fmt.Fprintf(stderr, "audit: %v\n", err)
		return exitError
	}
	printVerdict(stdout, ev, f)
	if blocked {
		return exitBlocked
	}
	return exitPass
}

func printVerdict(w io.Writer, ev *audit.Evidence, f flags) {
	s := ev.Summary
	_, _ = fmt.Fprintf(w, "\n== HIPAA gate verdict: stack %s, pack %s %s, engine pulumi %s\n",
		s.Stack, s.Pack.Name, s.Pack.Version, s.Engine.Version)
	if s.Offline {
		_, _ = fmt.Fprintf(w, "offline run: stand-in aws provider %s, local backend; no AWS account was contacted\n", s.Provider.Version)
	}
	_, _ = fmt.Fprintf(w, "resources analyzed:   %d\n", s.Resources)
	_, _ = fmt.Fprintf(w, "mandatory violations: %d\n", s.Mandatory)
	_, _ = fmt.Fprintf(w, "advisory findings:    %d\n", s.Advisory)
	undetermined, undeterminedPolicies := ev.Events.Undetermined()
	if undetermined > 0 {
		_, _ = fmt.Fprintf(w, "undetermined checks:  %d of the advisory findings (values known only after deployment; not passes): %s\n",
			undetermined, strings.Join(undeterminedPolicies, ", "))
	}
	if s.Excepted > 0 {
		_, _ = fmt.Fprintf(w, "excepted findings:    %d\n", s.Excepted)
	}
	_, _ = fmt.Fprintf(w, "policies passed:      %d (no finding; %d resource checks passed)\n", len(s.PoliciesPassed), s.ChecksPassed)
	_, _ = fmt.Fprintf(w, "policies with findings: %d\n", len(s.PoliciesFailed))
	for _, fd := range ev.Events.Findings {
		if fd.Enforcement == audit.Mandatory && !fd.Excepted {
			_, _ = fmt.Fprintf(w, "  MANDATORY %s  %s\n", fd.Policy, fd.URN)
		}
	}
	_, _ = fmt.Fprintf(w, "evidence: %s/{resources,policy-events,summary}.json\n", f.out)
	if s.Verdict == "blocked" {
		_, _ = fmt.Fprintln(w, "BLOCKED: the Pulumi engine refused this deployment (mandatory policy violations).")
		return
	}
	if undetermined > 0 {
		_, _ = fmt.Fprintf(w, "PASS: the Pulumi engine lets this deployment through. No mandatory violation; "+
			"%d checks undetermined at preview (not passes: the pack decides them on up).\n", undetermined)
		return
	}
	_, _ = fmt.Fprintln(w, "PASS: the Pulumi engine lets this deployment through. No mandatory violation.")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
