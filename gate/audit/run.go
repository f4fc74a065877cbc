package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Policy names where the policy packs are and how they are configured.
type Policy struct {
	// Packs are `--policy-pack` paths (a pack binary with PulumiPolicy.yaml beside it, or a
	// folder for a Pulumi install with the Go language host).
	Packs []string
	// Configs are `--policy-pack-config` files, one per pack or none.
	Configs []string
}

// absolute resolves the paths: the CLI runs in the workspace folder, not in ours.
func (p Policy) absolute() (Policy, error) {
	out := Policy{}
	for _, l := range []struct {
		in  []string
		out *[]string
	}{{p.Packs, &out.Packs}, {p.Configs, &out.Configs}} {
		for _, path := range l.in {
			abs, err := filepath.Abs(path)
			if err != nil {
				return Policy{}, fmt.Errorf("resolving %s: %w", path, err)
			}
			if _, err := os.Stat(abs); err != nil {
				return Policy{}, fmt.Errorf("policy pack file: %w", err)
			}
			*l.out = append(*l.out, abs)
		}
	}
	return out, nil
}

// Run is what the engine did: its events, the error it ended with, and the plan's dependencies.
type Run struct {
	Events []apitype.EngineEvent
	// Err is the engine's error (a mandatory violation makes preview and up fail).
	Err error
	// Plan is the deployment plan (preview only, written when the preview succeeded).
	Plan *apitype.DeploymentPlanV1
}

// collector gathers the engine events from the channel the Automation API writes.
type collector struct {
	ch   chan events.EngineEvent
	done chan struct{}
	mu   sync.Mutex
	evs  []apitype.EngineEvent
}

func newCollector() *collector {
	c := &collector{ch: make(chan events.EngineEvent), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for e := range c.ch {
			c.mu.Lock()
			c.evs = append(c.evs, e.EngineEvent)
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *collector) wait() []apitype.EngineEvent {
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evs
}

// Preview runs `pulumi preview` with the policy packs. out receives the engine's own output.
func (s *Stack) Preview(ctx context.Context, pol Policy, out io.Writer) (*Run, error) {
	pol, err := pol.absolute()
	if err != nil {
		return nil, err
	}
	planDir, err := os.MkdirTemp("", "hipaa-audit-plan-")
	if err != nil {
		return nil, fmt.Errorf("creating plan directory: %w", err)
	}
	defer func() { _ = os.RemoveAll(planDir) }()
	planFile := filepath.Join(planDir, "plan.json")

	c := newCollector()
	stdout, stderr := hidePlanNotice(out), hidePlanNotice(out)
	opts := []optpreview.Option{
		optpreview.EventStreams(c.ch),
		optpreview.ProgressStreams(stdout),
		optpreview.ErrorProgressStreams(stderr),
		optpreview.Color("never"),
		optpreview.Plan(planFile),
	}
	if len(pol.Packs) > 0 {
		opts = append(opts, optpreview.PolicyPacks(pol.Packs...))
	}
	if len(pol.Configs) > 0 {
		opts = append(opts, optpreview.PolicyPackConfigs(pol.Configs...))
	}
	_, perr := s.Stack.Preview(ctx, opts...)
	run := &Run{Events: c.wait(), Err: perr}
	for _, f := range []*lineFilter{stdout, stderr} {
		if err := f.Flush(); err != nil {
			return nil, fmt.Errorf("writing the engine output: %w", err)
		}
	}
	if perr == nil {
		plan, err := readPlan(planFile)
		if err != nil {
			return nil, err
		}
		run.Plan = plan
	}
	return run, nil
}

// DependencyPlan previews without policy packs, only to get the deployment plan (the resources'
// dependencies) when the engine blocked the audited preview and wrote no plan. The program is
// the same, so the resources and their dependencies are the same.
func (s *Stack) DependencyPlan(ctx context.Context) (*apitype.DeploymentPlanV1, error) {
	run, err := s.Preview(ctx, Policy{}, io.Discard)
	if err != nil {
		return nil, err
	}
	if run.Err != nil {
		return nil, fmt.Errorf("preview without the policy pack failed: %w", run.Err)
	}
	return run.Plan, nil
}

// Up runs `pulumi up` with the policy packs.
func (s *Stack) Up(ctx context.Context, pol Policy, out io.Writer) (*Run, error) {
	pol, err := pol.absolute()
	if err != nil {
		return nil, err
	}
	c := newCollector()
	opts := []optup.Option{
		optup.EventStreams(c.ch),
		optup.ProgressStreams(out),
		optup.ErrorProgressStreams(out),
		optup.Color("never"),
	}
	if len(pol.Packs) > 0 {
		opts = append(opts, optup.PolicyPacks(pol.Packs...))
	}
	if len(pol.Configs) > 0 {
		opts = append(opts, optup.PolicyPackConfigs(pol.Configs...))
	}
	_, uerr := s.Stack.Up(ctx, opts...)
	return &Run{Events: c.wait(), Err: uerr}, nil
}

// ExportTo writes `pulumi stack export` of the stack to path.
func (s *Stack) ExportTo(ctx context.Context, path string) error {
	dep, err := s.Export(ctx)
	if err != nil {
		return fmt.Errorf("exporting stack %s: %w", s.Name(), err)
	}
	b, err := json.MarshalIndent(dep, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the export of %s: %w", s.Name(), err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func readPlan(path string) (*apitype.DeploymentPlanV1, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the preview's plan: %w", err)
	}
	var plan apitype.DeploymentPlanV1
	if err := json.Unmarshal(b, &plan); err != nil {
		return nil, fmt.Errorf("decoding the preview's plan %s: %w", path, err)
	}
	return &plan, nil
}

// hidePlanNotice drops the CLI's note about the plan file: the plan is an internal temporary
// file of the audit (read for the dependencies, then deleted), not something to run `up` with.
func hidePlanNotice(w io.Writer) *lineFilter {
	return &lineFilter{w: w, drop: []string{"Update plan written to ", "Run `pulumi up --plan="}}
}

type lineFilter struct {
	w    io.Writer
	drop []string
	buf  []byte
}

func (f *lineFilter) Write(p []byte) (int, error) {
	f.buf = append(f.buf, p...)
	for {
		i := bytes.IndexByte(f.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := f.buf[:i+1]
		keep := true
		for _, d := range f.drop {
			if bytes.HasPrefix(bytes.TrimLeft(line, " "), []byte(d)) {
				keep = false
			}
		}
		if keep {
			if _, err := f.w.Write(line); err != nil {
				return 0, err
			}
		}
		f.buf = f.buf[i+1:]
	}
}

// Flush writes a last line that had no newline.
func (f *lineFilter) Flush() error {
	if len(f.buf) == 0 {
		return nil
	}
	_, err := f.w.Write(f.buf)
	f.buf = nil
	return err
}
